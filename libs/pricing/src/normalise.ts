/**
 * Upstream model ids carry decorations that do not change the price: provider prefixes
 * (`models/`, `openai/`), Bedrock region and vendor prefixes (`us.anthropic.`), version
 * suffixes (`-v2:0`, `:0`, `-001`), snapshot dates (`-2024-08-06`, `-20241022`, `@20240620`)
 * and `-latest`. `normaliseModelName` strips them so a snapshot finds its family's price.
 */
const ROUTER_PREFIX = /^(?:models|openai|anthropic|google|googleai|gemini|mistral|mistralai|deepseek|deepseek-ai|azure|bedrock)\//;
const BEDROCK_REGION = /^(?:us|eu|apac|global|jp|au|ca|us-gov)\./;
const BEDROCK_ANTHROPIC = /^anthropic\./;
const VERTEX_DATE = /@\d{8}$/;
const BEDROCK_VERSION = /-v\d+(?::\d+)?$/;
const COLON_VERSION = /:\d+$/;
const ISO_DATE = /-\d{4}-\d{2}-\d{2}$/;
const COMPACT_DATE = /-\d{8}$/;
const SHORT_DATE = /-(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$/;
const NUMBERED_RELEASE = /-\d{3}$/;
const LATEST = /-latest$/;
const CLAUDE_DOTTED = /^claude-(\d)\.(\d)/;

export function normaliseModelName(model: string): string {
  let m = model.trim().toLowerCase();
  m = m.replace(ROUTER_PREFIX, '');
  m = m.replace(BEDROCK_REGION, '').replace(BEDROCK_ANTHROPIC, '');
  m = m.replace(VERTEX_DATE, '');
  let previous = '';
  while (previous !== m) {
    previous = m;
    m = m
      .replace(BEDROCK_VERSION, '')
      .replace(COLON_VERSION, '')
      .replace(ISO_DATE, '')
      .replace(COMPACT_DATE, '')
      .replace(NUMBERED_RELEASE, '')
      .replace(LATEST, '');
  }
  if (m.startsWith('gpt-')) m = m.replace(SHORT_DATE, '');
  return m.replace(CLAUDE_DOTTED, 'claude-$1-$2');
}

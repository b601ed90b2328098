import type { CanonicalRequest, ContentPart } from '@gatehouse/formats';

/** Special-token text in user input (e.g. "<|endoftext|>") is counted as plain text instead of throwing. */
const PLAIN = { disallowedSpecial: new Set<string>() };

/** Beyond this many characters the count is extrapolated from the prefix, keeping the mock under a few ms per request. */
const EXACT_CHARS = 32_768;

/** gpt-tokenizer's tables take ~56 MB: loaded on first use, so processes without a mock provider never pay for them. */
let encodeFn: typeof import('gpt-tokenizer').encode | null = null;
const encode: typeof import('gpt-tokenizer').encode = (text, opts) =>
  (encodeFn ??= (require('gpt-tokenizer') as typeof import('gpt-tokenizer')).encode)(text, opts);

let decodeFn: typeof import('gpt-tokenizer').decode | null = null;
const decode: typeof import('gpt-tokenizer').decode = (tokens) =>
  (decodeFn ??= (require('gpt-tokenizer') as typeof import('gpt-tokenizer')).decode)(tokens);

/**
 * Loads the tables now (~250 ms of one core, ~40 MB) rather than on the first request that counts
 * tokens. The mock provider does it when it is created: it counts the usage of every request it
 * answers. A tpm limit counts only its keys' requests, so it keeps loading them on first use.
 */
export function preloadTokenizer(): void {
  encode('', PLAIN);
}

/** Whether the tables are loaded (for tests). */
export const tokenizerLoaded = (): boolean => encodeFn !== null;

/** The first `max` tokens of a text, or null when it has no more than that. */
export function truncateToTokens(text: string, max: number): string | null {
  const tokens = encode(text, PLAIN);
  return tokens.length <= max ? null : decode(tokens.slice(0, max));
}

export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  if (text.length <= EXACT_CHARS) return encode(text, PLAIN).length;
  return Math.round((encode(text.slice(0, EXACT_CHARS), PLAIN).length * text.length) / EXACT_CHARS);
}

function partText(part: ContentPart): string {
  switch (part.type) {
    case 'text':
    case 'thinking':
      return part.text;
    case 'tool_call':
      return `${part.name} ${part.arguments}`;
    case 'tool_result':
      return part.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
    case 'image':
      return '';
  }
}

/** The texts of a request that count as input: system text, message text, tool calls and results, tool definitions. */
export function inputTexts(req: CanonicalRequest): string[] {
  const texts: string[] = [];
  for (const s of req.system) texts.push(s.text);
  for (const m of req.messages) for (const p of m.content) texts.push(partText(p));
  if (req.tools) for (const t of req.tools) texts.push(`${t.name} ${t.description ?? ''} ${JSON.stringify(t.parameters)}`);
  return texts;
}

/** Input tokens of a request (its inputTexts, one per line). */
export function countInputTokens(req: CanonicalRequest): number {
  return countTokens(inputTexts(req).join('\n'));
}

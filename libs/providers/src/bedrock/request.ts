import type { CacheControl, CanonicalMessage, CanonicalRequest, ContentPart, ImagePart, ToolChoice } from '@gatehouse/formats';
import { invalidRequest, unsupportedField } from '@gatehouse/contracts';
import { withStructuredTool } from '../shared/structured-tool';

/** Wire shapes of the Bedrock Converse request. */
type CachePoint = { cachePoint: { type: 'default' } };
type ImageBlock = { image: { format: 'png' | 'jpeg' | 'gif' | 'webp'; source: { bytes: string } } };
type ToolResultContent = { text: string } | { json: unknown } | ImageBlock;

export type ConverseContentBlock =
  | { text: string }
  | ImageBlock
  | { toolUse: { toolUseId: string; name: string; input: unknown } }
  | { toolResult: { toolUseId: string; content: ToolResultContent[]; status?: 'success' | 'error' } }
  | { reasoningContent: { reasoningText: { text: string; signature: string } } }
  | CachePoint;

export interface ConverseMessage {
  role: 'user' | 'assistant';
  content: ConverseContentBlock[];
}

export interface ConverseRequestBody {
  messages: ConverseMessage[];
  system?: Array<{ text: string } | CachePoint>;
  inferenceConfig?: { maxTokens?: number; temperature?: number; topP?: number; stopSequences?: string[] };
  toolConfig?: {
    tools: Array<{ toolSpec: { name: string; description?: string; inputSchema: { json: Record<string, unknown> } } } | CachePoint>;
    toolChoice?: { auto: Record<string, never> } | { any: Record<string, never> } | { tool: { name: string } };
  };
  additionalModelRequestFields?: Record<string, unknown>;
}

const CACHE_POINT: CachePoint = { cachePoint: { type: 'default' } };
const FORMATS: Record<string, ImageBlock['image']['format']> = {
  'image/png': 'png', 'image/jpeg': 'jpeg', 'image/jpg': 'jpeg', 'image/gif': 'gif', 'image/webp': 'webp',
};
const REASONING_BUDGET = { minimal: 1024, low: 2048, medium: 8192, high: 24576 } as const;

function imageBlock(part: ImagePart, field: string): ImageBlock {
  let mediaType: string;
  let data: string;
  if (part.source.kind === 'base64') {
    mediaType = part.source.media_type;
    data = part.source.data;
  } else {
    const m = /^data:([^;,]+);base64,(.*)$/s.exec(part.source.url);
    if (!m) throw unsupportedField(field, 'bedrock', 'Converse needs image bytes; send the image as base64 data');
    mediaType = m[1];
    data = m[2];
  }
  const format = FORMATS[mediaType.toLowerCase()];
  if (!format) throw unsupportedField(field, 'bedrock', `image type ${mediaType} (use png, jpeg, gif or webp)`);
  return { image: { format, source: { bytes: data } } };
}

function toolInput(args: string, field: string): unknown {
  if (args.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(args);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed;
  } catch {
    // reported below
  }
  throw invalidRequest(`${field} must be a JSON object`, field);
}

/** A tool result that is a JSON object travels as a json block, anything else as text. */
function resultText(text: string): ToolResultContent {
  if (text.trimStart().startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return { json: parsed };
    } catch {
      // not JSON: plain text
    }
  }
  return { text };
}

function cacheAfter(cache: CacheControl | undefined, blocks: ConverseContentBlock[]): void {
  if (cache) blocks.push(CACHE_POINT);
}

function blocksOf(part: ContentPart, field: string): ConverseContentBlock[] {
  const out: ConverseContentBlock[] = [];
  switch (part.type) {
    case 'text':
      if (part.text !== '') out.push({ text: part.text });
      cacheAfter(part.cache_control, out);
      return out;
    case 'image':
      out.push(imageBlock(part, field));
      cacheAfter(part.cache_control, out);
      return out;
    case 'thinking':
      // Only signed reasoning can be replayed; unsigned thinking (e.g. from another provider) is dropped.
      if (part.signature) out.push({ reasoningContent: { reasoningText: { text: part.text, signature: part.signature } } });
      return out;
    case 'tool_call':
      out.push({ toolUse: { toolUseId: part.id, name: part.name, input: toolInput(part.arguments, `${field}.arguments`) } });
      return out;
    case 'tool_result': {
      const content: ToolResultContent[] = part.content.map((c, ci) =>
        c.type === 'text' ? resultText(c.text) : imageBlock(c, `${field}.content[${ci}]`),
      );
      out.push({
        toolResult: {
          toolUseId: part.tool_call_id,
          content: content.length ? content : [{ text: '' }],
          ...(part.is_error ? { status: 'error' as const } : {}),
        },
      });
      cacheAfter(part.cache_control, out);
      return out;
    }
  }
}

/** Converse requires alternating roles, so consecutive messages of one role are merged. */
function messagesOf(messages: CanonicalMessage[]): ConverseMessage[] {
  const out: ConverseMessage[] = [];
  messages.forEach((m, mi) => {
    const content = m.content.flatMap((p, pi) => blocksOf(p, `messages[${mi}].content[${pi}]`));
    if (content.length === 0 || content.every((b) => 'cachePoint' in b)) return;
    const last = out[out.length - 1];
    if (last?.role === m.role) last.content.push(...content);
    else out.push({ role: m.role, content });
  });
  return out;
}

const usesTools = (messages: CanonicalMessage[]): boolean =>
  messages.some((m) => m.content.some((p) => p.type === 'tool_call' || p.type === 'tool_result'));

function toolChoiceOf(choice: ToolChoice | undefined): NonNullable<ConverseRequestBody['toolConfig']>['toolChoice'] {
  switch (choice?.type) {
    case 'required': return { any: {} };
    case 'tool': return { tool: { name: choice.name } };
    case 'auto': return { auto: {} };
    default: return undefined;
  }
}

function toolConfigOf(req: CanonicalRequest): ConverseRequestBody['toolConfig'] {
  if (!req.tools?.length) return undefined;
  if (req.tool_choice?.type === 'none') {
    // Converse has no "none": leave the tools out, unless the conversation already holds tool
    // blocks (then Converse requires toolConfig and the choice cannot be honoured).
    if (usesTools(req.messages)) throw unsupportedField('tool_choice', 'bedrock', '"none" with tool calls in the conversation');
    return undefined;
  }
  const tools: NonNullable<ConverseRequestBody['toolConfig']>['tools'] = [];
  for (const t of req.tools) {
    tools.push({ toolSpec: { name: t.name, ...(t.description ? { description: t.description } : {}), inputSchema: { json: t.parameters } } });
    if (t.cache_control) tools.push(CACHE_POINT);
  }
  const toolChoice = toolChoiceOf(req.tool_choice);
  return toolChoice ? { tools, toolChoice } : { tools };
}

const isAnthropicModel = (model: string): boolean => /anthropic|claude/i.test(model);

function additionalFieldsOf(req: CanonicalRequest, upstreamModel: string): Record<string, unknown> | undefined {
  const fields: Record<string, unknown> = {};
  if (req.top_k !== undefined) fields.top_k = req.top_k;
  if (req.thinking) fields.thinking = { type: 'enabled', budget_tokens: req.thinking.budget_tokens };
  else if (req.reasoning_effort) {
    if (isAnthropicModel(upstreamModel)) fields.thinking = { type: 'enabled', budget_tokens: REASONING_BUDGET[req.reasoning_effort] };
    else fields.reasoning_effort = req.reasoning_effort;
  }
  return Object.keys(fields).length ? fields : undefined;
}

function rejectUnsupported(req: CanonicalRequest): void {
  if (req.n !== undefined && req.n > 1) throw unsupportedField('n', 'bedrock', 'only one choice per request is supported');
  if (req.seed !== undefined) throw unsupportedField('seed', 'bedrock');
  if (req.presence_penalty) throw unsupportedField('presence_penalty', 'bedrock');
  if (req.frequency_penalty) throw unsupportedField('frequency_penalty', 'bedrock');
}

/** CanonicalRequest → Converse body; response_format becomes a forced tool (shared/structured-tool). */
export function buildConverseRequest(canonical: CanonicalRequest, upstreamModel: string): ConverseRequestBody {
  rejectUnsupported(canonical);
  const req = withStructuredTool(canonical, 'bedrock');
  const body: ConverseRequestBody = { messages: messagesOf(req.messages) };
  const system: NonNullable<ConverseRequestBody['system']> = [];
  for (const p of req.system) {
    if (p.text !== '') system.push({ text: p.text });
    if (p.cache_control && system.length) system.push(CACHE_POINT);
  }
  if (system.length) body.system = system;
  const inference: NonNullable<ConverseRequestBody['inferenceConfig']> = {};
  if (req.max_tokens !== undefined) inference.maxTokens = req.max_tokens;
  if (req.temperature !== undefined) inference.temperature = req.temperature;
  if (req.top_p !== undefined) inference.topP = req.top_p;
  if (req.stop?.length) inference.stopSequences = req.stop;
  if (Object.keys(inference).length) body.inferenceConfig = inference;
  const toolConfig = toolConfigOf(req);
  if (toolConfig) body.toolConfig = toolConfig;
  const additional = additionalFieldsOf(req, upstreamModel);
  if (additional) body.additionalModelRequestFields = additional;
  return body;
}

/**
 * Anthropic Messages request body → CanonicalRequest.
 *
 * Decisions on fields the canonical model cannot carry to every provider (never a silent drop):
 *  - Represented: model, max_tokens, system (string or text blocks, cache_control kept), messages
 *    with text / image (base64 or url) / tool_use / tool_result / thinking / redacted_thinking
 *    blocks, tools (custom tools, cache_control kept), tool_choice auto|any|tool|none and
 *    disable_parallel_tool_use (→ parallel_tool_calls: false), stop_sequences, temperature,
 *    top_p, top_k, stream, thinking {enabled, budget_tokens}, metadata.user_id (→ user).
 *  - A field whose value is null is read as absent (SDKs emit nulls for unset fields, e.g.
 *    `caller: null` and `toolset_name: null` on tool_use blocks from Python `model_dump()`).
 *  - Accepted as no-ops: thinking {type: disabled}, caller {type: direct} on tool_use blocks, service_tier auto|standard_only (Gatehouse
 *    buys no priority capacity), empty or null citations on text blocks, cache_control on
 *    tool_use blocks (a cost hint with no slot on canonical tool calls; cache_control on text,
 *    images, tool results, system and tools is kept).
 *  - Rejected with a 400 naming the field: tool_use blocks made by a server tool (caller of
 *    another type) or belonging to a toolset (toolset_name), document, search_result, server_tool_use and other
 *    server-tool blocks, image sources of type file, non-empty citations, server tools
 *    (web_search, bash, computer, text_editor, ...), and any parameter this schema does not know
 *    (container, mcp_servers, context_management, ...), as Anthropic itself does — when the body
 *    must be translated. When every target of the model is Anthropic, such a body goes upstream
 *    unchanged and decodeAnthropicNative reads what the gateway needs of it.
 */
import { z } from 'zod';
import type {
  CacheControl,
  CanonicalMessage,
  CanonicalRequest,
  ContentPart,
  ImagePart,
  ImageSource,
  TextPart,
  ToolChoice,
  ToolDefinition,
} from '../canonical';
import { dropNullFields } from '../drop-nulls';
import { parseBody } from '../zod-error';

const notSupported = (what: string) => `${what} is not supported by Gatehouse`;

const cacheControl = z
  .strictObject({ type: z.literal('ephemeral'), ttl: z.enum(['5m', '1h']).optional() })
  .nullable()
  .optional();

const textBlock = z.strictObject({
  type: z.literal('text'),
  text: z.string(),
  cache_control: cacheControl,
  citations: z.array(z.unknown()).max(0, { error: notSupported('citations') }).nullable().optional(),
});

const imageSource = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('base64'),
    media_type: z.enum(['image/jpeg', 'image/png', 'image/gif', 'image/webp']),
    data: z.string().min(1),
  }),
  z.strictObject({ type: z.literal('url'), url: z.string().regex(/^https?:\/\//, 'expected an http(s) URL') }),
  z.looseObject({ type: z.literal('file') }).refine(() => false, notSupported('image source of type file')),
]);
const imageBlock = z.strictObject({ type: z.literal('image'), source: imageSource, cache_control: cacheControl });

const toolUseBlock = z.strictObject({
  type: z.literal('tool_use'),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
  cache_control: cacheControl,
  caller: z.looseObject({ type: z.literal('direct', { error: notSupported('tool calls made by a server tool (caller other than direct)') }) }).optional(),
  toolset_name: z.undefined({ error: notSupported('toolset tool calls') }).optional(),
});
const toolResultBlock = z.strictObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1),
  content: z
    .union([z.string(), z.array(z.discriminatedUnion('type', [textBlock, imageBlock]))], {
      error: 'expected a string or an array of text and image blocks',
    })
    .optional(),
  is_error: z.boolean().optional(),
  cache_control: cacheControl,
});
const thinkingBlock = z.strictObject({ type: z.literal('thinking'), thinking: z.string(), signature: z.string() });
const redactedThinkingBlock = z.strictObject({ type: z.literal('redacted_thinking'), data: z.string() });
const rejectedBlock = <T extends string>(type: T, what: string) =>
  z.looseObject({ type: z.literal(type) }).refine(() => false, notSupported(what));

const contentBlock = z.discriminatedUnion('type', [
  textBlock,
  imageBlock,
  toolUseBlock,
  toolResultBlock,
  thinkingBlock,
  redactedThinkingBlock,
  rejectedBlock('document', 'document blocks'),
  rejectedBlock('search_result', 'search_result blocks'),
  rejectedBlock('server_tool_use', 'server tool blocks'),
  rejectedBlock('web_search_tool_result', 'server tool blocks'),
]);

const message = z.strictObject({
  role: z.enum(['user', 'assistant']),
  content: z.union([z.string(), z.array(contentBlock)], {
    error: 'expected a string or an array of content blocks',
  }),
});

const tool = z.strictObject({
  type: z
    .literal('custom', { error: notSupported('server tools (web_search, bash, computer, text_editor, ...)') })
    .nullable()
    .optional(),
  name: z.string().min(1),
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown()),
  cache_control: cacheControl,
});

const disableParallel = z.boolean().optional();
const toolChoice = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('auto'), disable_parallel_tool_use: disableParallel }),
  z.strictObject({ type: z.literal('any'), disable_parallel_tool_use: disableParallel }),
  z.strictObject({ type: z.literal('tool'), name: z.string().min(1), disable_parallel_tool_use: disableParallel }),
  z.strictObject({ type: z.literal('none') }),
]);

const thinking = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('enabled'), budget_tokens: z.number().int().positive() }),
  z.strictObject({ type: z.literal('disabled') }),
]);

export const AnthropicMessagesRequestSchema = z.strictObject({
  model: z.string().min(1),
  max_tokens: z.number().int().positive(),
  messages: z.array(message).min(1),
  system: z
    .union([z.string(), z.array(textBlock)], { error: 'expected a string or an array of text blocks' })
    .optional(),
  stop_sequences: z.array(z.string()).optional(),
  stream: z.boolean().optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().nonnegative().optional(),
  tools: z.array(tool).optional(),
  tool_choice: toolChoice.optional(),
  thinking: thinking.optional(),
  metadata: z.strictObject({ user_id: z.string().nullable().optional() }).optional(),
  service_tier: z.enum(['auto', 'standard_only']).optional(),
});

export type AnthropicMessagesRequest = z.output<typeof AnthropicMessagesRequestSchema>;
type Block = z.output<typeof contentBlock>;
type TextBlock = z.output<typeof textBlock>;
type ImageBlock = z.output<typeof imageBlock>;
type CacheControlIn = z.output<typeof cacheControl>;

function cacheControlOf(cc: CacheControlIn): CacheControl | undefined {
  if (!cc) return undefined;
  return cc.ttl ? { type: 'ephemeral', ttl: cc.ttl } : { type: 'ephemeral' };
}

function textPart(b: TextBlock): TextPart {
  const part: TextPart = { type: 'text', text: b.text };
  const cc = cacheControlOf(b.cache_control);
  if (cc) part.cache_control = cc;
  return part;
}

function imagePart(b: ImageBlock): ImagePart {
  const src = b.source;
  const source: ImageSource =
    src.type === 'base64'
      ? { kind: 'base64', media_type: src.media_type, data: src.data }
      : { kind: 'url', url: (src as { url: string }).url };
  const part: ImagePart = { type: 'image', source };
  const cc = cacheControlOf(b.cache_control);
  if (cc) part.cache_control = cc;
  return part;
}

function contentPart(b: Block): ContentPart | null {
  switch (b.type) {
    case 'text':
      return textPart(b);
    case 'image':
      return imagePart(b);
    case 'tool_use':
      return { type: 'tool_call', id: b.id, name: b.name, arguments: JSON.stringify(b.input) };
    case 'tool_result': {
      const content =
        b.content === undefined
          ? []
          : typeof b.content === 'string'
            ? [{ type: 'text' as const, text: b.content }]
            : b.content.map((c) => (c.type === 'text' ? textPart(c) : imagePart(c)));
      const part: ContentPart = { type: 'tool_result', tool_call_id: b.tool_use_id, content };
      if (b.is_error !== undefined) part.is_error = b.is_error;
      const cc = cacheControlOf(b.cache_control);
      if (cc) part.cache_control = cc;
      return part;
    }
    case 'thinking':
      return { type: 'thinking', text: b.thinking, signature: b.signature };
    case 'redacted_thinking':
      return { type: 'thinking', text: '', signature: b.data, redacted: true };
    default:
      return null;
  }
}

function messagesOf(messages: AnthropicMessagesRequest['messages']): CanonicalMessage[] {
  return messages.map((m) => {
    if (typeof m.content === 'string') return { role: m.role, content: [{ type: 'text', text: m.content }] };
    const content: ContentPart[] = [];
    for (const b of m.content) {
      const part = contentPart(b);
      if (part) content.push(part);
    }
    return { role: m.role, content };
  });
}

function toolsOf(tools: NonNullable<AnthropicMessagesRequest['tools']>): ToolDefinition[] {
  return tools.map((t) => {
    const def: ToolDefinition = { name: t.name, parameters: t.input_schema };
    if (t.description !== undefined) def.description = t.description;
    const cc = cacheControlOf(t.cache_control);
    if (cc) def.cache_control = cc;
    return def;
  });
}

function toolChoiceOf(choice: NonNullable<AnthropicMessagesRequest['tool_choice']>): ToolChoice {
  switch (choice.type) {
    case 'auto':
      return { type: 'auto' };
    case 'any':
      return { type: 'required' };
    case 'tool':
      return { type: 'tool', name: choice.name };
    case 'none':
      return { type: 'none' };
  }
}

/** Free-form values: a null inside is data, not an unset field. */
const FREE_FORM = new Set(['input', 'input_schema']);

export function decodeAnthropicMessages(body: unknown): { request: CanonicalRequest } {
  return { request: toCanonical(parseBody(AnthropicMessagesRequestSchema, dropNullFields(body, FREE_FORM))) };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const pick = (o: Obj, keys: ReadonlySet<string>): Obj => Object.fromEntries(Object.entries(o).filter(([k]) => keys.has(k)));
const keysOf = (schema: { shape: object }) => new Set(Object.keys(schema.shape));
const BLOCK_KEYS: Record<string, ReadonlySet<string>> = {
  text: new Set(['type', 'text', 'cache_control']),
  image: keysOf(imageBlock),
  tool_use: new Set(['type', 'id', 'name', 'input', 'cache_control']),
  tool_result: keysOf(toolResultBlock),
  thinking: keysOf(thinkingBlock),
  redacted_thinking: keysOf(redactedThinkingBlock),
};
const TOP_KEYS = keysOf(AnthropicMessagesRequestSchema);
const TOOL_KEYS = keysOf(tool);

function knownBlocks(content: unknown): unknown {
  if (!Array.isArray(content)) return content;
  const out: Obj[] = [];
  for (const b of content) {
    if (!isObj(b) || typeof b.type !== 'string' || !BLOCK_KEYS[b.type]) continue;
    if (b.type === 'image' && isObj(b.source) && b.source.type === 'file') continue;
    const kept = pick(b, BLOCK_KEYS[b.type]!);
    if (b.type === 'tool_result') kept.content = knownBlocks(b.content);
    out.push(kept);
  }
  return out;
}

/**
 * What the gateway itself reads of a body that goes to an Anthropic target unchanged (native
 * pass-through): the same canonical request, decoded from a copy without what the canonical model
 * cannot carry (documents, server tools and their blocks, citations, unknown fields). Guardrails,
 * limits, the cache key and usage work on it; the upstream gets the client's body.
 */
export function decodeAnthropicNative(body: unknown): { request: CanonicalRequest } {
  if (!isObj(body)) return decodeAnthropicMessages(body);
  const b = pick(body, TOP_KEYS);
  if (Array.isArray(b.messages)) b.messages = b.messages.map((m) => (isObj(m) ? { role: m.role, content: knownBlocks(m.content) } : m));
  if (Array.isArray(b.system)) b.system = knownBlocks(b.system);
  if (Array.isArray(b.tools)) b.tools = b.tools.filter((t) => isObj(t) && (t.type === undefined || t.type === null || t.type === 'custom')).map((t) => pick(t as Obj, TOOL_KEYS));
  return decodeAnthropicMessages(b);
}

/**
 * POST /v1/messages/count_tokens takes the Messages body without max_tokens (a max_tokens sent
 * anyway is accepted and ignored); decoded the same way so the count covers what would be sent.
 */
export const AnthropicCountTokensRequestSchema = AnthropicMessagesRequestSchema.extend({
  max_tokens: z.number().int().positive().optional(),
});

export function decodeAnthropicCountTokens(body: unknown): CanonicalRequest {
  return toCanonical(parseBody(AnthropicCountTokensRequestSchema, dropNullFields(body, FREE_FORM)));
}

function toCanonical(b: z.output<typeof AnthropicCountTokensRequestSchema>): CanonicalRequest {
  const system: TextPart[] =
    b.system === undefined ? [] : typeof b.system === 'string' ? [{ type: 'text', text: b.system }] : b.system.map(textPart);
  const request: CanonicalRequest = {
    model: b.model,
    system,
    messages: messagesOf(b.messages),
    stream: b.stream === true,
  };
  if (b.max_tokens !== undefined) request.max_tokens = b.max_tokens;
  if (b.temperature !== undefined) request.temperature = b.temperature;
  if (b.top_p !== undefined) request.top_p = b.top_p;
  if (b.top_k !== undefined) request.top_k = b.top_k;
  if (b.stop_sequences && b.stop_sequences.length > 0) request.stop = b.stop_sequences;
  if (b.tools && b.tools.length > 0) request.tools = toolsOf(b.tools);
  if (b.tool_choice) {
    request.tool_choice = toolChoiceOf(b.tool_choice);
    if ('disable_parallel_tool_use' in b.tool_choice && b.tool_choice.disable_parallel_tool_use === true) {
      request.parallel_tool_calls = false;
    }
  }
  if (b.thinking?.type === 'enabled') request.thinking = { budget_tokens: b.thinking.budget_tokens };
  if (b.metadata?.user_id) request.user = b.metadata.user_id;
  return request;
}

/**
 * OpenAI Chat Completions request body → CanonicalRequest.
 *
 * Decisions on fields the canonical model cannot carry to every provider (never a silent drop):
 *  - Represented: model, messages, tools (incl. strict), tool_choice, parallel_tool_calls,
 *    response_format, stream, stream_options.include_usage (returned as includeUsage), stop,
 *    max_tokens / max_completion_tokens (the latter wins), temperature, top_p, seed,
 *    presence_penalty, frequency_penalty, user (safety_identifier when user is absent),
 *    reasoning_effort (minimal|low|medium|high), assistant reasoning_content (→ thinking part).
 *  - System and developer messages, wherever they appear, become the canonical system parts in
 *    order (the canonical model has one system prompt, as Anthropic and Gemini do).
 *  - Consecutive role "tool" messages become tool_result parts of one canonical user message.
 *  - A field whose value is null is read as absent, as OpenAI does (SDKs emit nulls for unset fields).
 *  - Accepted as no-ops: n = 1, logprobs = false, store = false, modalities = ["text"],
 *    service_tier auto|default, empty logit_bias, null audio/prediction, message `name`,
 *    assistant `annotations` and `refusal: null` (output metadata echoed back by SDK users),
 *    stream_options.include_obfuscation, prompt_cache_key and metadata (hints for OpenAI's own
 *    prompt cache and stored completions; they change neither the answer nor its format).
 *  - Rejected with a 400 naming the field: n > 1, logprobs = true, top_logprobs, a non-empty
 *    logit_bias, audio, modalities other than text, prediction, store = true, service_tier
 *    flex|priority|scale, web_search_options, verbosity, functions/function_call (deprecated),
 *    input_audio and file content parts, assistant audio, role "function", token arrays, and any
 *    parameter this schema does not know (as OpenAI itself does).
 */
import { z } from 'zod';
import type {
  CanonicalMessage,
  CanonicalRequest,
  ContentPart,
  ImagePart,
  TextPart,
  ToolCallPart,
  ToolChoice,
  ToolDefinition,
  ToolResultPart,
  ResponseFormat,
} from '../canonical';
import { invalidRequest } from '@gatehouse/contracts';
import { dropNullFields } from '../drop-nulls';
import { parseBody } from '../zod-error';
import { imageFromUrl } from './image-url';

const opt = <T extends z.ZodType>(schema: T) => schema.nullable().optional();
const notSupported = (what: string) => `${what} is not supported by Gatehouse`;

const textPart = z.strictObject({ type: z.literal('text'), text: z.string() });
const refusalPart = z.strictObject({ type: z.literal('refusal'), refusal: z.string() });
const imageUrlPart = z.strictObject({
  type: z.literal('image_url'),
  image_url: z.strictObject({ url: z.string().min(1), detail: z.enum(['auto', 'low', 'high']).optional() }),
});
const rejectedPart = <T extends string>(type: T, what: string) =>
  z.looseObject({ type: z.literal(type) }).refine(() => false, { message: notSupported(what) });

const userContent = z.union(
  [
    z.string(),
    z.array(
      z.discriminatedUnion('type', [
        textPart,
        imageUrlPart,
        rejectedPart('input_audio', 'audio input'),
        rejectedPart('file', 'file input'),
      ]),
    ),
  ],
  { error: 'expected a string or an array of content parts' },
);
const textContent = z.union([z.string(), z.array(textPart)], {
  error: 'expected a string or an array of text parts',
});

const toolCall = z.strictObject({
  id: z.string().min(1),
  type: z.literal('function'),
  function: z.strictObject({ name: z.string().min(1), arguments: z.string() }),
});

const systemMessage = z.strictObject({
  role: z.enum(['system', 'developer']),
  content: textContent,
  name: z.string().optional(),
});
const userMessage = z.strictObject({ role: z.literal('user'), content: userContent, name: z.string().optional() });
const assistantMessage = z.strictObject({
  role: z.literal('assistant'),
  content: opt(
    z.union([z.string(), z.array(z.discriminatedUnion('type', [textPart, refusalPart]))], {
      error: 'expected a string, an array of text parts or null',
    }),
  ),
  refusal: opt(z.string()),
  tool_calls: opt(z.array(toolCall)),
  reasoning_content: opt(z.string()),
  name: z.string().optional(),
  annotations: z.array(z.unknown()).optional(),
  audio: z.null({ error: notSupported('assistant audio') }).optional(),
  function_call: z.null({ error: 'deprecated; use tool_calls' }).optional(),
});
const toolMessage = z.strictObject({
  role: z.literal('tool'),
  tool_call_id: z.string().min(1),
  content: textContent,
});

const message = z.discriminatedUnion('role', [systemMessage, userMessage, assistantMessage, toolMessage]);

const tool = z.strictObject({
  type: z.literal('function'),
  function: z.strictObject({
    name: z.string().min(1),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: opt(z.boolean()),
  }),
});

const toolChoice = z.union(
  [
    z.enum(['auto', 'none', 'required']),
    z.strictObject({ type: z.literal('function'), function: z.strictObject({ name: z.string().min(1) }) }),
  ],
  { error: 'expected "auto", "none", "required" or {"type":"function","function":{"name":...}}' },
);

const responseFormat = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text') }),
  z.strictObject({ type: z.literal('json_object') }),
  z.strictObject({
    type: z.literal('json_schema'),
    json_schema: z.strictObject({
      name: z.string().min(1),
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: opt(z.boolean()),
    }),
  }),
]);

export const OpenAIChatRequestSchema = z.strictObject({
  model: z.string().min(1),
  messages: z.array(message).min(1),
  tools: opt(z.array(tool)),
  tool_choice: opt(toolChoice),
  parallel_tool_calls: opt(z.boolean()),
  response_format: opt(responseFormat),
  stream: opt(z.boolean()),
  stream_options: opt(
    z.strictObject({ include_usage: z.boolean().optional(), include_obfuscation: z.boolean().optional() }),
  ),
  /** Choices: honoured by targets that return several (OpenAI, Azure, Gemini, the mock), else a 400 naming n at the provider. */
  n: opt(z.number().int().min(1).max(128)),
  stop: opt(z.union([z.string(), z.array(z.string())], { error: 'expected a string or an array of strings' })),
  max_tokens: opt(z.number().int().positive()),
  max_completion_tokens: opt(z.number().int().positive()),
  temperature: opt(z.number().min(0).max(2)),
  top_p: opt(z.number().min(0).max(1)),
  seed: opt(z.number().int()),
  presence_penalty: opt(z.number().min(-2).max(2)),
  frequency_penalty: opt(z.number().min(-2).max(2)),
  user: opt(z.string()),
  safety_identifier: opt(z.string()),
  prompt_cache_key: opt(z.string()),
  reasoning_effort: opt(z.enum(['minimal', 'low', 'medium', 'high'])),
  metadata: opt(z.record(z.string(), z.string())),
  store: opt(z.literal(false, { error: notSupported('store = true') })),
  logprobs: opt(z.literal(false, { error: notSupported('logprobs') })),
  top_logprobs: z.null({ error: notSupported('top_logprobs') }).optional(),
  logit_bias: opt(
    z.record(z.string(), z.number()).refine((bias) => Object.keys(bias).length === 0, notSupported('logit_bias')),
  ),
  audio: z.null({ error: notSupported('audio output') }).optional(),
  modalities: opt(z.array(z.literal('text', { error: notSupported('output modalities other than text') }))),
  prediction: z.null({ error: notSupported('prediction') }).optional(),
  service_tier: opt(z.enum(['auto', 'default'], { error: notSupported('service_tier other than auto/default') })),
  web_search_options: z.undefined({ error: notSupported('web_search_options') }).optional(),
  verbosity: z.undefined({ error: notSupported('verbosity') }).optional(),
  functions: z.undefined({ error: 'deprecated; use tools' }).optional(),
  function_call: z.undefined({ error: 'deprecated; use tool_choice' }).optional(),
});

export type OpenAIChatRequest = z.output<typeof OpenAIChatRequestSchema>;
type Message = OpenAIChatRequest['messages'][number];
type UserContent = z.output<typeof userContent>;
type TextContent = z.output<typeof textContent>;

function textParts(content: TextContent): TextPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.map((p) => ({ type: 'text', text: p.text }));
}

function userParts(content: UserContent, at: string): Array<TextPart | ImagePart> {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  const parts: Array<TextPart | ImagePart> = [];
  for (let i = 0; i < content.length; i++) {
    const p = content[i]!;
    if (p.type === 'text') parts.push({ type: 'text', text: p.text });
    else if (p.type === 'image_url') {
      const image: ImagePart = { type: 'image', source: imageFromUrl(p.image_url.url, `${at}[${i}].image_url.url`) };
      if (p.image_url.detail) image.detail = p.image_url.detail;
      parts.push(image);
    }
  }
  return parts;
}

function assistantParts(m: Extract<Message, { role: 'assistant' }>): ContentPart[] {
  const parts: ContentPart[] = [];
  if (m.reasoning_content) parts.push({ type: 'thinking', text: m.reasoning_content });
  if (typeof m.content === 'string') {
    if (m.content !== '') parts.push({ type: 'text', text: m.content });
  } else if (m.content) {
    for (const p of m.content) parts.push({ type: 'text', text: p.type === 'text' ? p.text : p.refusal });
  }
  if (m.refusal) parts.push({ type: 'text', text: m.refusal });
  if (m.tool_calls) {
    for (const c of m.tool_calls) {
      const call: ToolCallPart = { type: 'tool_call', id: c.id, name: c.function.name, arguments: c.function.arguments };
      parts.push(call);
    }
  }
  return parts;
}

function toCanonicalMessages(messages: Message[]): { system: TextPart[]; messages: CanonicalMessage[] } {
  const system: TextPart[] = [];
  const out: CanonicalMessage[] = [];
  let toolResults: CanonicalMessage | null = null;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    switch (m.role) {
      case 'system':
      case 'developer':
        for (const p of textParts(m.content)) system.push(p);
        break;
      case 'user':
        toolResults = null;
        out.push({ role: 'user', content: userParts(m.content, `messages[${i}].content`) });
        break;
      case 'assistant':
        toolResults = null;
        out.push({ role: 'assistant', content: assistantParts(m) });
        break;
      case 'tool': {
        const result: ToolResultPart = { type: 'tool_result', tool_call_id: m.tool_call_id, content: textParts(m.content) };
        if (toolResults) toolResults.content.push(result);
        else {
          toolResults = { role: 'user', content: [result] };
          out.push(toolResults);
        }
        break;
      }
    }
  }
  return { system, messages: out };
}

function toolDefinitions(tools: NonNullable<OpenAIChatRequest['tools']>): ToolDefinition[] {
  return tools.map(({ function: f }) => {
    const def: ToolDefinition = { name: f.name, parameters: f.parameters ?? { type: 'object', properties: {} } };
    if (f.description !== undefined) def.description = f.description;
    if (f.strict != null) def.strict = f.strict;
    return def;
  });
}

function toolChoiceOf(choice: z.output<typeof toolChoice>): ToolChoice {
  if (typeof choice === 'string') return { type: choice };
  return { type: 'tool', name: choice.function.name };
}

function responseFormatOf(format: z.output<typeof responseFormat>): ResponseFormat {
  if (format.type !== 'json_schema') return { type: format.type };
  const out: ResponseFormat = {
    type: 'json_schema',
    name: format.json_schema.name,
    schema: format.json_schema.schema ?? {},
  };
  if (format.json_schema.strict != null) out.strict = format.json_schema.strict;
  return out;
}

/** Free-form values: a null inside is data, not an unset field. */
const FREE_FORM = new Set(['parameters', 'schema', 'metadata', 'logit_bias']);

export function decodeOpenAIChat(body: unknown): { request: CanonicalRequest; includeUsage: boolean } {
  const b = parseBody(OpenAIChatRequestSchema, dropNullFields(body, FREE_FORM));
  const { system, messages } = toCanonicalMessages(b.messages);
  const request: CanonicalRequest = { model: b.model, system, messages, stream: b.stream === true };
  const maxTokens = b.max_completion_tokens ?? b.max_tokens;
  if (maxTokens != null) request.max_tokens = maxTokens;
  if (b.temperature != null) request.temperature = b.temperature;
  if (b.top_p != null) request.top_p = b.top_p;
  if (b.stop != null) {
    const stop = typeof b.stop === 'string' ? [b.stop] : b.stop;
    if (stop.length > 0) request.stop = stop;
  }
  if (b.tools && b.tools.length > 0) request.tools = toolDefinitions(b.tools);
  if (b.tool_choice != null) {
    if (b.tool_choice !== 'none' && !request.tools && b.tool_choice !== 'auto') {
      throw invalidRequest('tool_choice: requires tools', 'tool_choice');
    }
    request.tool_choice = toolChoiceOf(b.tool_choice);
  }
  if (b.parallel_tool_calls != null) request.parallel_tool_calls = b.parallel_tool_calls;
  if (b.response_format != null) request.response_format = responseFormatOf(b.response_format);
  if (b.n != null) request.n = b.n;
  if (b.seed != null) request.seed = b.seed;
  if (b.presence_penalty != null) request.presence_penalty = b.presence_penalty;
  if (b.frequency_penalty != null) request.frequency_penalty = b.frequency_penalty;
  const user = b.user ?? b.safety_identifier;
  if (user != null) request.user = user;
  if (b.reasoning_effort != null) request.reasoning_effort = b.reasoning_effort;
  return { request, includeUsage: request.stream && b.stream_options?.include_usage === true };
}

const TOP_KEYS = new Set(Object.keys(OpenAIChatRequestSchema.shape));

/**
 * What the gateway itself reads of a body that goes to an OpenAI-dialect target unchanged (native
 * pass-through): the canonical request of the body without the top-level fields it does not know.
 */
export function decodeOpenAIChatNative(body: unknown): { request: CanonicalRequest; includeUsage: boolean } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return decodeOpenAIChat(body);
  return decodeOpenAIChat(Object.fromEntries(Object.entries(body).filter(([k]) => TOP_KEYS.has(k))));
}

/**
 * OpenAI Responses request body (POST /v1/responses) → CanonicalRequest.
 *
 * Decisions on fields the canonical model cannot carry to every provider (never a silent drop):
 *  - Represented: model, input (a string, or items: messages with input_text / input_image /
 *    output_text / refusal parts, function_call and function_call_output items), instructions
 *    and system/developer messages (→ system), function tools (incl. strict), tool_choice,
 *    parallel_tool_calls, text.format (text | json_object | json_schema), reasoning.effort,
 *    max_output_tokens, temperature, top_p, stream, user / safety_identifier.
 *  - A field whose value is null is read as absent.
 *  - Accepted as no-ops: store: false (and store absent: nothing is ever stored), include (what it
 *    asks for is returned when the target produces it), reasoning.summary, text.verbosity
 *    "medium", truncation "disabled", service_tier auto|default, metadata, prompt_cache_key,
 *    prompt_cache_retention, item ids and status, annotations and logprobs on echoed output_text,
 *    reasoning items in input (the model's own earlier reasoning; not replayed to the target).
 *  - Rejected with a 400 naming the field: store: true, previous_response_id and conversation
 *    (Gatehouse keeps no responses: send the whole conversation in input), background, prompt
 *    (stored prompts), tools other than function tools, input items other than messages and
 *    function calls and their outputs, input_file / input_audio parts, truncation "auto", and any
 *    parameter this schema does not know.
 */
import { z } from 'zod';
import { invalidRequest } from '@gatehouse/contracts';
import type { CanonicalMessage, CanonicalRequest, ImagePart, ResponseFormat, TextPart, ToolChoice, ToolDefinition } from '../canonical';
import { dropNullFields } from '../drop-nulls';
import { parseBody } from '../zod-error';
import { imageFromUrl } from './image-url';

const notSupported = (what: string) => `${what} is not supported by Gatehouse`;
const NOT_STORED = 'Gatehouse stores no responses: send the whole conversation in input (and store: false)';

const inputText = z.strictObject({ type: z.literal('input_text'), text: z.string() });
const inputImage = z.strictObject({
  type: z.literal('input_image'),
  image_url: z.string().min(1, { error: 'expected an http(s) or data: URL' }),
  detail: z.enum(['auto', 'low', 'high']).optional(),
  file_id: z.undefined({ error: notSupported('file_id images') }).optional(),
});
const outputText = z.strictObject({
  type: z.literal('output_text'),
  text: z.string(),
  annotations: z.array(z.unknown()).optional(),
  logprobs: z.array(z.unknown()).optional(),
});
const refusal = z.strictObject({ type: z.literal('refusal'), refusal: z.string() });
const rejectedPart = <T extends string>(type: T, what: string) =>
  z.looseObject({ type: z.literal(type) }).refine(() => false, { message: notSupported(what) });

const contentPart = z.discriminatedUnion('type', [
  inputText,
  inputImage,
  outputText,
  refusal,
  rejectedPart('input_file', 'input_file parts'),
  rejectedPart('input_audio', 'input_audio parts'),
]);

const itemMeta = { id: z.string().optional(), status: z.enum(['in_progress', 'completed', 'incomplete']).optional() };

const messageItem = z.strictObject({
  type: z.literal('message'),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: z.union([z.string(), z.array(contentPart)], { error: 'expected a string or an array of content parts' }),
  phase: z.string().optional(),
  ...itemMeta,
});
const functionCallItem = z.strictObject({
  type: z.literal('function_call'),
  call_id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
  caller: z.looseObject({ type: z.literal('direct', { error: notSupported('function calls made by a program (caller other than direct)') }) }).optional(),
  namespace: z.undefined({ error: notSupported('namespaced tools') }).optional(),
  ...itemMeta,
});
const functionOutputItem = z.strictObject({
  type: z.literal('function_call_output'),
  call_id: z.string().min(1),
  output: z.union([z.string(), z.array(z.discriminatedUnion('type', [inputText, inputImage]))], {
    error: 'expected a string or an array of input_text and input_image parts',
  }),
  ...itemMeta,
});
const reasoningItem = z.looseObject({ type: z.literal('reasoning') });

const inputItem = z.discriminatedUnion('type', [messageItem, functionCallItem, functionOutputItem, reasoningItem]);

const functionTool = z.strictObject({
  type: z.literal('function', { error: notSupported('tools other than function tools (web_search, file_search, mcp, ...)') }),
  name: z.string().min(1),
  description: z.string().optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
  strict: z.boolean().optional(),
});

const toolChoice = z.union(
  [z.enum(['auto', 'none', 'required']), z.strictObject({ type: z.literal('function'), name: z.string().min(1) })],
  { error: 'expected "auto", "none", "required" or {"type":"function","name":...}' },
);

const textFormat = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text') }),
  z.strictObject({ type: z.literal('json_object') }),
  z.strictObject({
    type: z.literal('json_schema'),
    name: z.string().min(1),
    schema: z.record(z.string(), z.unknown()),
    description: z.string().optional(),
    strict: z.boolean().optional(),
  }),
]);

export const OpenAIResponsesRequestSchema = z.strictObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(inputItem)], { error: 'expected a string or an array of input items' }),
  instructions: z.string().optional(),
  tools: z.array(functionTool).optional(),
  tool_choice: toolChoice.optional(),
  parallel_tool_calls: z.boolean().optional(),
  text: z
    .strictObject({ format: textFormat.optional(), verbosity: z.literal('medium', { error: notSupported('verbosity other than medium') }).optional() })
    .optional(),
  reasoning: z
    .strictObject({
      effort: z.enum(['none', 'minimal', 'low', 'medium', 'high']).optional(),
      summary: z.enum(['auto', 'concise', 'detailed']).optional(),
      generate_summary: z.enum(['auto', 'concise', 'detailed']).optional(),
    })
    .optional(),
  max_output_tokens: z.number().int().positive().optional(),
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().min(0).max(1).optional(),
  stream: z.boolean().optional(),
  stream_options: z.strictObject({ include_obfuscation: z.boolean().optional() }).optional(),
  store: z.literal(false, { error: NOT_STORED }).optional(),
  previous_response_id: z.undefined({ error: NOT_STORED }).optional(),
  conversation: z.undefined({ error: NOT_STORED }).optional(),
  background: z.literal(false, { error: notSupported('background responses') }).optional(),
  prompt: z.undefined({ error: notSupported('stored prompts') }).optional(),
  include: z.array(z.string()).optional(),
  truncation: z.literal('disabled', { error: notSupported('truncation "auto"') }).optional(),
  service_tier: z.enum(['auto', 'default'], { error: notSupported('service_tier other than auto/default') }).optional(),
  metadata: z.record(z.string(), z.string()).optional(),
  user: z.string().optional(),
  safety_identifier: z.string().optional(),
  prompt_cache_key: z.string().optional(),
  prompt_cache_retention: z.enum(['in_memory', '24h']).optional(),
});

export type OpenAIResponsesRequest = z.output<typeof OpenAIResponsesRequestSchema>;
type Item = z.output<typeof inputItem>;
type Part = z.output<typeof contentPart>;

/** Free-form values: a null inside is data, not an unset field. */
const FREE_FORM = new Set(['parameters', 'schema', 'metadata']);

/** An input item without `type` is a message (the SDKs' "easy input message"). */
function withItemTypes(body: unknown): unknown {
  const input = (body as { input?: unknown } | null)?.input;
  if (!Array.isArray(input) || input.every((i) => i === null || typeof i !== 'object' || 'type' in i)) return body;
  return {
    ...(body as object),
    input: input.map((i) => (i !== null && typeof i === 'object' && !('type' in i) ? { type: 'message', ...i } : i)),
  };
}

function partsOf(content: string | Part[], at: string): Array<TextPart | ImagePart> {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  const parts: Array<TextPart | ImagePart> = [];
  for (let i = 0; i < content.length; i++) {
    const p = content[i]!;
    if (p.type === 'input_text' || p.type === 'output_text') parts.push({ type: 'text', text: p.text });
    else if (p.type === 'refusal') parts.push({ type: 'text', text: p.refusal });
    else if (p.type === 'input_image') {
      const image: ImagePart = { type: 'image', source: imageFromUrl(p.image_url, `${at}[${i}].image_url`) };
      if (p.detail) image.detail = p.detail;
      parts.push(image);
    }
  }
  return parts;
}

/** The canonical message of this role to append to: the last one when it has the same role, else a new one. */
function tail(out: CanonicalMessage[], role: 'user' | 'assistant', toolResults: boolean): CanonicalMessage {
  const last = out[out.length - 1];
  const fits = last && last.role === role && (role === 'assistant' || last.content.every((p) => (p.type === 'tool_result') === toolResults));
  if (fits) return last;
  const m: CanonicalMessage = { role, content: [] };
  out.push(m);
  return m;
}

function toCanonical(input: string | Item[]): { system: TextPart[]; messages: CanonicalMessage[] } {
  const system: TextPart[] = [];
  const messages: CanonicalMessage[] = [];
  if (typeof input === 'string') return { system, messages: [{ role: 'user', content: [{ type: 'text', text: input }] }] };
  for (let i = 0; i < input.length; i++) {
    const item = input[i]!;
    switch (item.type) {
      case 'message': {
        const parts = partsOf(item.content as string | Part[], `input[${i}].content`);
        if (item.role === 'system' || item.role === 'developer') {
          for (const p of parts) if (p.type === 'text') system.push(p);
        } else if (item.role === 'assistant') {
          tail(messages, 'assistant', false).content.push(...parts.filter((p) => p.type === 'text'));
        } else {
          messages.push({ role: 'user', content: parts });
        }
        break;
      }
      case 'function_call':
        tail(messages, 'assistant', false).content.push({ type: 'tool_call', id: item.call_id, name: item.name, arguments: item.arguments });
        break;
      case 'function_call_output': {
        const output = item.output as string | Part[];
        tail(messages, 'user', true).content.push({
          type: 'tool_result',
          tool_call_id: item.call_id,
          content: typeof output === 'string' ? [{ type: 'text', text: output }] : partsOf(output, `input[${i}].output`),
        });
        break;
      }
      case 'reasoning':
        break;
    }
  }
  return { system, messages };
}

function toolChoiceOf(choice: z.output<typeof toolChoice>): ToolChoice {
  return typeof choice === 'string' ? { type: choice } : { type: 'tool', name: choice.name };
}

function formatOf(format: z.output<typeof textFormat>): ResponseFormat {
  if (format.type !== 'json_schema') return { type: format.type };
  const out: ResponseFormat = { type: 'json_schema', name: format.name, schema: format.schema };
  if (format.strict !== undefined) out.strict = format.strict;
  return out;
}

export function decodeOpenAIResponses(body: unknown): { request: CanonicalRequest; includeUsage: boolean } {
  const b = parseBody(OpenAIResponsesRequestSchema, withItemTypes(dropNullFields(body, FREE_FORM)));
  const { system, messages } = toCanonical(b.input);
  if (b.instructions) system.unshift({ type: 'text', text: b.instructions });
  if (messages.length === 0) throw invalidRequest('input: needs at least one user message, function call or function call output', 'input');
  const request: CanonicalRequest = { model: b.model, system, messages, stream: b.stream === true };
  if (b.max_output_tokens !== undefined) request.max_tokens = b.max_output_tokens;
  if (b.temperature !== undefined) request.temperature = b.temperature;
  if (b.top_p !== undefined) request.top_p = b.top_p;
  if (b.tools && b.tools.length > 0) {
    request.tools = b.tools.map((t): ToolDefinition => {
      const def: ToolDefinition = { name: t.name, parameters: t.parameters ?? { type: 'object', properties: {} } };
      if (t.description !== undefined) def.description = t.description;
      if (t.strict !== undefined) def.strict = t.strict;
      return def;
    });
  }
  if (b.tool_choice !== undefined) {
    if (typeof b.tool_choice !== 'string' || b.tool_choice === 'required') {
      if (!request.tools) throw invalidRequest('tool_choice: requires tools', 'tool_choice');
    }
    request.tool_choice = toolChoiceOf(b.tool_choice);
  }
  if (b.parallel_tool_calls !== undefined) request.parallel_tool_calls = b.parallel_tool_calls;
  if (b.text?.format) request.response_format = formatOf(b.text.format);
  const effort = b.reasoning?.effort;
  if (effort !== undefined && effort !== 'none') request.reasoning_effort = effort;
  const user = b.user ?? b.safety_identifier;
  if (user !== undefined) request.user = user;
  return { request, includeUsage: true };
}

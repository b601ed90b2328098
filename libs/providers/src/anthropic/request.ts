import type { CacheControl, CanonicalMessage, CanonicalRequest, ContentPart, ImagePart, ToolChoice } from '@gatehouse/formats';
import { invalidRequest, unsupportedField } from '@gatehouse/contracts';
import { withStructuredTool } from '../shared/structured-tool';

type Json = Record<string, unknown>;

const PROVIDER = 'anthropic';
/** Anthropic requires max_tokens; used when the client sent none. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

/** OpenAI-style reasoning effort → Anthropic thinking budget (1024 is Anthropic's minimum). */
const EFFORT_BUDGET: Readonly<Record<NonNullable<CanonicalRequest['reasoning_effort']>, number>> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 24576,
};

const withCache = (block: Json, cc: CacheControl | undefined): Json => {
  if (cc) block.cache_control = cc;
  return block;
};

function image(part: ImagePart): Json {
  // Anthropic has no detail level; the image is sent at its own resolution.
  const source = part.source.kind === 'url'
    ? { type: 'url', url: part.source.url }
    : { type: 'base64', media_type: part.source.media_type, data: part.source.data };
  return withCache({ type: 'image', source }, part.cache_control);
}

function toolInput(args: string, id: string): unknown {
  if (args.trim() === '') return {};
  try {
    return JSON.parse(args);
  } catch {
    throw invalidRequest(`tool call ${id} has arguments that are not valid JSON`, 'messages.content.tool_call.arguments');
  }
}

function block(part: ContentPart): Json | null {
  switch (part.type) {
    case 'text':
      return withCache({ type: 'text', text: part.text }, part.cache_control);
    case 'image':
      return image(part);
    case 'tool_call':
      return { type: 'tool_use', id: part.id, name: part.name, input: toolInput(part.arguments, part.id) };
    case 'tool_result': {
      const b: Json = {
        type: 'tool_result',
        tool_use_id: part.tool_call_id,
        content: part.content.map((c) => (c.type === 'text' ? withCache({ type: 'text', text: c.text }, c.cache_control) : image(c))),
      };
      if (part.is_error) b.is_error = true;
      return withCache(b, part.cache_control);
    }
    case 'thinking':
      // Anthropic only accepts thinking it signed itself; unsigned reasoning from another provider is left out of history.
      return part.signature ? { type: 'thinking', thinking: part.text, signature: part.signature } : null;
  }
}

function message(msg: CanonicalMessage): Json {
  const content: Json[] = [];
  for (const part of msg.content) {
    const b = block(part);
    if (b) content.push(b);
  }
  return { role: msg.role, content };
}

function toolChoice(choice: ToolChoice | undefined, parallel: boolean | undefined): Json | undefined {
  const disableParallel = parallel === false;
  if (!choice) return disableParallel ? { type: 'auto', disable_parallel_tool_use: true } : undefined;
  let out: Json;
  switch (choice.type) {
    case 'auto':
      out = { type: 'auto' };
      break;
    case 'none':
      return { type: 'none' };
    case 'required':
      out = { type: 'any' };
      break;
    case 'tool':
      out = { type: 'tool', name: choice.name };
      break;
  }
  if (disableParallel) out.disable_parallel_tool_use = true;
  return out;
}

function rejectUnsupported(req: CanonicalRequest): void {
  if (req.n !== undefined && req.n > 1) throw unsupportedField('n', PROVIDER, 'Anthropic returns one completion per request');
  if (req.seed !== undefined) throw unsupportedField('seed', PROVIDER);
  if (req.presence_penalty !== undefined) throw unsupportedField('presence_penalty', PROVIDER);
  if (req.frequency_penalty !== undefined) throw unsupportedField('frequency_penalty', PROVIDER);
}

/** CanonicalRequest → Anthropic Messages JSON body; response_format becomes a forced tool (shared/structured-tool). */
export function buildMessagesBody(canonical: CanonicalRequest, upstreamModel: string): Json {
  rejectUnsupported(canonical);
  const req = withStructuredTool(canonical, PROVIDER);
  const budget = req.thinking?.budget_tokens ?? (req.reasoning_effort ? EFFORT_BUDGET[req.reasoning_effort] : undefined);
  const body: Json = {
    model: upstreamModel,
    // With thinking, max_tokens must exceed the budget, so the default leaves room for the answer.
    max_tokens: req.max_tokens ?? (budget !== undefined ? budget + ANTHROPIC_DEFAULT_MAX_TOKENS : ANTHROPIC_DEFAULT_MAX_TOKENS),
    messages: req.messages.map(message),
  };
  if (req.system.length > 0) body.system = req.system.map((p) => withCache({ type: 'text', text: p.text }, p.cache_control));
  if (budget !== undefined) body.thinking = { type: 'enabled', budget_tokens: budget };
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.top_p !== undefined) body.top_p = req.top_p;
  if (req.top_k !== undefined) body.top_k = req.top_k;
  if (req.stop !== undefined && req.stop.length > 0) body.stop_sequences = req.stop;
  if (req.user !== undefined) body.metadata = { user_id: req.user };
  if (req.tools && req.tools.length > 0) {
    body.tools = req.tools.map((t) => {
      const tool: Json = { name: t.name, input_schema: t.parameters };
      if (t.description !== undefined) tool.description = t.description;
      return withCache(tool, t.cache_control);
    });
    const tc = toolChoice(req.tool_choice, req.parallel_tool_calls);
    if (tc) body.tool_choice = tc;
  }
  if (req.stream) body.stream = true;
  return body;
}

/** A native Anthropic client body with only the model replaced (Anthropic streams always carry usage). */
export const passthroughBody = (body: Record<string, unknown>, upstreamModel: string): Json => ({ ...body, model: upstreamModel });

/** The fields POST /v1/messages/count_tokens takes; generation settings (max_tokens, stream, ...) do not change the count. */
const COUNTED = ['messages', 'system', 'tools', 'tool_choice', 'thinking', 'mcp_servers', 'context_management'];

export function countTokensBody(body: Record<string, unknown>, upstreamModel: string): Json {
  const out: Json = { model: upstreamModel };
  for (const k of COUNTED) if (body[k] !== undefined) out[k] = body[k];
  return out;
}

export function parseTokenCount(text: string): number {
  const n = (JSON.parse(text) as { input_tokens?: unknown }).input_tokens;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new Error('count_tokens answer without an integer input_tokens');
  return n;
}

import type { CanonicalMessage, CanonicalRequest, ImagePart, TextPart, ToolChoice, ResponseFormat } from '@gatehouse/formats';
import { invalidRequest, unsupportedField } from '@gatehouse/contracts';

/** Canonical request fields a dialect may reject (checked before building; a 400, never a silent drop). */
export type OpenAIField =
  | 'top_k'
  | 'n'
  | 'seed'
  | 'presence_penalty'
  | 'frequency_penalty'
  | 'user'
  | 'stop'
  | 'reasoning_effort'
  | 'thinking'
  | 'parallel_tool_calls'
  | 'response_format.json_schema'
  | 'response_format.json_object'
  | 'tools'
  | 'images';

/** How one OpenAI-shaped dialect differs from api.openai.com. */
export interface OpenAIDialect {
  /** Provider type named in 400s. */
  provider: string;
  maxTokensField: 'max_completion_tokens' | 'max_tokens';
  /** Send stream_options.include_usage (servers that reject unknown fields get false). */
  streamUsage: boolean;
  /** Fields this dialect cannot honour, with the reason shown to the client. */
  unsupported: Partial<Record<OpenAIField, string>>;
  /** Field renames in the body (e.g. Mistral's seed → random_seed). */
  rename?: Readonly<Record<string, string>>;
  /** What the dialect calls tool_choice "required" (Mistral: "any"). */
  requiredToolChoice?: string;
}

export const OPENAI_DIALECT: OpenAIDialect = {
  provider: 'openai',
  maxTokensField: 'max_completion_tokens',
  streamUsage: true,
  unsupported: {
    top_k: 'OpenAI has no top_k sampling parameter',
  },
};

type Json = Record<string, unknown>;

const textOf = (parts: TextPart[]): string => (parts.length === 1 ? parts[0].text : parts.map((p) => p.text).join('\n'));

function imageUrl(part: ImagePart): Json {
  const url = part.source.kind === 'url' ? part.source.url : `data:${part.source.media_type};base64,${part.source.data}`;
  return part.detail ? { url, detail: part.detail } : { url };
}

function userMessages(msg: CanonicalMessage, out: Json[], dialect: OpenAIDialect): void {
  // Tool results become role "tool" messages, which must directly follow the assistant's tool_calls.
  const content: Json[] = [];
  let onlyText = true;
  for (const part of msg.content) {
    switch (part.type) {
      case 'text':
        // cache_control is dropped: OpenAI caches prompt prefixes automatically.
        content.push({ type: 'text', text: part.text });
        break;
      case 'image':
        if (dialect.unsupported.images) throw unsupportedField('messages.content.image', dialect.provider, dialect.unsupported.images);
        onlyText = false;
        content.push({ type: 'image_url', image_url: imageUrl(part) });
        break;
      case 'tool_result': {
        const texts: TextPart[] = [];
        for (const c of part.content) {
          if (c.type !== 'text') {
            throw unsupportedField('messages.content.tool_result.image', dialect.provider, 'tool results carry text only');
          }
          texts.push(c);
        }
        // OpenAI has no error flag on tool results; the text itself carries the failure.
        out.push({ role: 'tool', tool_call_id: part.tool_call_id, content: textOf(texts) });
        break;
      }
      case 'tool_call':
        throw invalidRequest('a tool call can only appear in an assistant message', 'messages');
      case 'thinking':
        break;
    }
  }
  if (content.length === 0) return;
  if (onlyText && content.length === 1) out.push({ role: 'user', content: content[0].text });
  else out.push({ role: 'user', content });
}

function assistantMessage(msg: CanonicalMessage): Json {
  let text = '';
  const toolCalls: Json[] = [];
  for (const part of msg.content) {
    if (part.type === 'text') text += part.text;
    else if (part.type === 'tool_call') {
      toolCalls.push({ id: part.id, type: 'function', function: { name: part.name, arguments: part.arguments } });
    }
    // Thinking from earlier turns is not accepted back by Chat Completions; it is omitted from history.
  }
  const m: Json = { role: 'assistant', content: text.length > 0 ? text : null };
  if (toolCalls.length > 0) m.tool_calls = toolCalls;
  return m;
}

function toolChoice(choice: ToolChoice, dialect: OpenAIDialect): unknown {
  switch (choice.type) {
    case 'auto':
    case 'none':
      return choice.type;
    case 'required':
      return dialect.requiredToolChoice ?? 'required';
    case 'tool':
      return { type: 'function', function: { name: choice.name } };
  }
}

function responseFormat(rf: ResponseFormat, dialect: OpenAIDialect): Json {
  if (rf.type === 'json_schema') {
    const why = dialect.unsupported['response_format.json_schema'];
    if (why) throw unsupportedField('response_format.json_schema', dialect.provider, why);
    const js: Json = { name: rf.name, schema: rf.schema };
    if (rf.strict !== undefined) js.strict = rf.strict;
    return { type: 'json_schema', json_schema: js };
  }
  if (rf.type === 'json_object') {
    const why = dialect.unsupported['response_format.json_object'];
    if (why) throw unsupportedField('response_format.json_object', dialect.provider, why);
  }
  return { type: rf.type };
}

/**
 * Anthropic-style thinking budgets become an OpenAI reasoning effort (decision: map rather than
 * reject, so Anthropic clients can use OpenAI reasoning models; an explicit reasoning_effort wins).
 */
export function effortForBudget(budget: number): 'low' | 'medium' | 'high' {
  if (budget <= 4096) return 'low';
  if (budget <= 16384) return 'medium';
  return 'high';
}

/** Why n > 1 cannot be streamed through a translation (the canonical stream carries one choice). */
export const STREAMED_N = 'n > 1 is streamed only by pass-through to an OpenAI-dialect target (with stream_options.include_usage and no output guardrail); without stream it is honoured';

function rejectUnsupported(req: CanonicalRequest, d: OpenAIDialect): void {
  const u = d.unsupported;
  const check = (field: OpenAIField, present: boolean) => {
    const why = u[field];
    if (present && why) throw unsupportedField(field, d.provider, why);
  };
  check('top_k', req.top_k !== undefined);
  check('n', req.n !== undefined && req.n > 1);
  if (req.n !== undefined && req.n > 1 && req.stream) throw unsupportedField('n', d.provider, STREAMED_N);
  check('seed', req.seed !== undefined);
  check('presence_penalty', req.presence_penalty !== undefined);
  check('frequency_penalty', req.frequency_penalty !== undefined);
  check('user', req.user !== undefined);
  check('stop', req.stop !== undefined && req.stop.length > 0);
  check('reasoning_effort', req.reasoning_effort !== undefined);
  check('thinking', req.thinking !== undefined);
  check('parallel_tool_calls', req.parallel_tool_calls !== undefined && req.tools !== undefined);
  check('tools', req.tools !== undefined && req.tools.length > 0);
}

/** CanonicalRequest → Chat Completions JSON body (the object; the provider serialises it once). */
export function buildChatBody(req: CanonicalRequest, upstreamModel: string, dialect: OpenAIDialect = OPENAI_DIALECT): Json {
  rejectUnsupported(req, dialect);
  const messages: Json[] = [];
  if (req.system.length > 0) messages.push({ role: 'system', content: textOf(req.system) });
  for (const msg of req.messages) {
    if (msg.role === 'assistant') messages.push(assistantMessage(msg));
    else userMessages(msg, messages, dialect);
  }
  const body: Json = { model: upstreamModel, messages };
  if (req.max_tokens !== undefined) body[dialect.maxTokensField] = req.max_tokens;
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.top_p !== undefined) body.top_p = req.top_p;
  // Reached only for dialects that accept top_k (vLLM, Together, OpenRouter, ...).
  if (req.top_k !== undefined) body.top_k = req.top_k;
  if (req.stop !== undefined && req.stop.length > 0) body.stop = req.stop;
  if (req.n !== undefined) body.n = req.n;
  if (req.seed !== undefined) body.seed = req.seed;
  if (req.presence_penalty !== undefined) body.presence_penalty = req.presence_penalty;
  if (req.frequency_penalty !== undefined) body.frequency_penalty = req.frequency_penalty;
  if (req.user !== undefined) body.user = req.user;
  const effort = req.reasoning_effort ?? (req.thinking ? effortForBudget(req.thinking.budget_tokens) : undefined);
  if (effort !== undefined) body.reasoning_effort = effort;
  if (req.tools && req.tools.length > 0) {
    body.tools = req.tools.map((t) => ({
      type: 'function',
      function: t.description === undefined
        ? { name: t.name, parameters: t.parameters }
        : { name: t.name, description: t.description, parameters: t.parameters },
    }));
    // OpenAI rejects parallel_tool_calls without tools, so it is only sent alongside them.
    if (req.parallel_tool_calls !== undefined) body.parallel_tool_calls = req.parallel_tool_calls;
    // Likewise tool_choice: without tools there is nothing to choose from.
    if (req.tool_choice) body.tool_choice = toolChoice(req.tool_choice, dialect);
  }
  if (req.response_format) body.response_format = responseFormat(req.response_format, dialect);
  if (req.stream) {
    body.stream = true;
    if (dialect.streamUsage) body.stream_options = { include_usage: true };
  }
  if (dialect.rename) {
    for (const [from, to] of Object.entries(dialect.rename)) {
      if (from in body) {
        body[to] = body[from];
        delete body[from];
      }
    }
  }
  return body;
}

/** A native OpenAI client body with the model replaced and, for streams, usage reporting forced on. */
export function passthroughBody(body: Record<string, unknown>, upstreamModel: string, streamUsage = true): Json {
  const out: Json = { ...body, model: upstreamModel };
  if (body.stream === true && streamUsage) {
    const so = body.stream_options;
    out.stream_options = so && typeof so === 'object' ? { ...(so as Json), include_usage: true } : { include_usage: true };
  }
  return out;
}

import { splitArguments, textOf, type Plan, type RequestView } from '../plan';
import { namedSse, nextId, parseArguments, type ErrorReply, type Frame, type RouteInfo, type WireFormat } from './format';

type Block = { type?: string; text?: string; content?: unknown };
type Msg = { role?: string; content?: string | Block[] };

function view(body: Record<string, unknown>, route: RouteInfo): RequestView {
  const messages = Array.isArray(body.messages) ? (body.messages as Msg[]) : [];
  const tools = Array.isArray(body.tools) ? (body.tools as Array<{ name?: string }>) : [];
  const last = messages[messages.length - 1];
  const lastUser = [...messages].reverse().find((m) => m.role === 'user' && userText(m) !== '');
  const choice = body.tool_choice as { type?: string; name?: string } | undefined;
  let toolChoice: RequestView['toolChoice'] = { kind: 'auto' };
  if (choice?.type === 'none') toolChoice = { kind: 'none' };
  else if (choice?.type === 'any') toolChoice = { kind: 'required' };
  else if (choice?.type === 'tool' && choice.name) toolChoice = { kind: 'tool', name: choice.name };
  return {
    model: route.model ?? (typeof body.model === 'string' ? body.model : 'mock-model'),
    stream: body.stream === true,
    textLength: textOf(body.system).length + messages.reduce((n, m) => n + textOf(m.content).length, 0),
    lastUserText: lastUser ? userText(lastUser) : '',
    toolNames: tools.map((t) => t.name ?? '').filter(Boolean),
    toolChoice,
    lastIsToolResult: last?.role === 'user' && Array.isArray(last.content) && last.content.some((b) => b.type === 'tool_result'),
    includeUsage: true,
  };
}

const userText = (m: Msg): string =>
  typeof m.content === 'string' ? m.content : (m.content ?? []).filter((b) => b.type === 'text').map((b) => b.text ?? '').join('');

/** Anthropic's input_tokens excludes cache reads and writes. */
const usageOf = (plan: Plan, output: number) => ({
  input_tokens: Math.max(0, plan.usage.input - plan.usage.cached - plan.usage.cache_write),
  cache_creation_input_tokens: plan.usage.cache_write,
  cache_read_input_tokens: plan.usage.cached,
  output_tokens: output,
  service_tier: 'standard',
});

const stopReason = (plan: Plan): string => (plan.truncated ? 'max_tokens' : plan.toolCalls.length > 0 ? 'tool_use' : 'end_turn');
const toolId = (id: string, i: number): string => `toolu_mock${id}_${i}`;

function json(plan: Plan): string {
  const id = nextId();
  const content: unknown[] = [];
  const text = plan.textChunks.join('');
  if (text !== '') content.push({ type: 'text', text });
  plan.toolCalls.forEach((c, i) => content.push({ type: 'tool_use', id: toolId(id, i), name: c.name, input: parseArguments(c.arguments) }));
  return JSON.stringify({
    id: `msg_mock${id}`,
    type: 'message',
    role: 'assistant',
    model: plan.model,
    content,
    stop_reason: stopReason(plan),
    stop_sequence: null,
    usage: usageOf(plan, plan.usage.output),
  });
}

const ev = (event: string, data: Record<string, unknown>): [string, Record<string, unknown>] => [event, data];

/** The Anthropic stream events of a plan, in order, each as its `event:` name and data. */
export function anthropicStreamEvents(plan: Plan): Array<[string, Record<string, unknown>]> {
  const id = nextId();
  const frames: Array<[string, Record<string, unknown>]> = [
    ev('message_start', {
      type: 'message_start',
      message: { id: `msg_mock${id}`, type: 'message', role: 'assistant', model: plan.model, content: [], stop_reason: null, stop_sequence: null, usage: usageOf(plan, 1) },
    }),
    ev('ping', { type: 'ping' }),
  ];
  let index = 0;
  if (plan.textChunks.length > 0) {
    frames.push(ev('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } }));
    for (const text of plan.textChunks) frames.push(ev('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text } }));
    frames.push(ev('content_block_stop', { type: 'content_block_stop', index }));
    index++;
  }
  plan.toolCalls.forEach((c, i) => {
    frames.push(ev('content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: toolId(id, i), name: c.name, input: {} } }));
    for (const piece of splitArguments(c.arguments)) {
      frames.push(ev('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: piece } }));
    }
    frames.push(ev('content_block_stop', { type: 'content_block_stop', index }));
    index++;
  });
  frames.push(ev('message_delta', { type: 'message_delta', delta: { stop_reason: stopReason(plan), stop_sequence: null }, usage: { output_tokens: plan.usage.output } }));
  frames.push(ev('message_stop', { type: 'message_stop' }));
  return frames;
}

const stream = (plan: Plan): Frame[] => anthropicStreamEvents(plan).map(([event, data]) => namedSse(event, data));

const ERROR_TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

export function anthropicError(status: number, message: string): ErrorReply {
  const type = ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
  return { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'error', error: { type, message } }) };
}

export const anthropicFormat: WireFormat = {
  view,
  json,
  streamContentType: 'text/event-stream; charset=utf-8',
  stream,
  error: anthropicError,
};

import { splitArguments, textOf, type Plan, type RequestView } from '../plan';
import { nextId, nowSeconds, sse, type ErrorReply, type Frame, type RouteInfo, type WireFormat } from './format';

type Msg = { role?: string; content?: unknown; tool_call_id?: string };

function view(body: Record<string, unknown>, route: RouteInfo): RequestView {
  const messages = Array.isArray(body.messages) ? (body.messages as Msg[]) : [];
  const tools = Array.isArray(body.tools) ? (body.tools as Array<{ function?: { name?: string } }>) : [];
  const last = messages[messages.length - 1];
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  const choice = body.tool_choice as unknown;
  let toolChoice: RequestView['toolChoice'] = { kind: 'auto' };
  if (choice === 'none') toolChoice = { kind: 'none' };
  else if (choice === 'required') toolChoice = { kind: 'required' };
  else if (choice && typeof choice === 'object') {
    const name = (choice as { function?: { name?: string } }).function?.name;
    if (name) toolChoice = { kind: 'tool', name };
  }
  return {
    model: route.model ?? (typeof body.model === 'string' ? body.model : 'mock-model'),
    stream: body.stream === true,
    textLength: messages.reduce((n, m) => n + textOf(m.content).length, 0),
    lastUserText: lastUser ? textOf(lastUser.content) : '',
    toolNames: tools.map((t) => t.function?.name ?? '').filter(Boolean),
    toolChoice,
    lastIsToolResult: last?.role === 'tool',
    includeUsage: (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true,
    choices: typeof body.n === 'number' && body.n > 1 ? body.n : 1,
  };
}

const usageOf = (plan: Plan) => ({
  prompt_tokens: plan.usage.input,
  completion_tokens: plan.usage.output,
  total_tokens: plan.usage.input + plan.usage.output,
  prompt_tokens_details: { cached_tokens: plan.usage.cached, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: plan.usage.reasoning, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
});

const finishReason = (plan: Plan): string => (plan.truncated ? 'length' : plan.toolCalls.length > 0 ? 'tool_calls' : 'stop');
const callId = (id: string, i: number): string => `call_mock${id}_${i}`;

function json(plan: Plan, view: RequestView): string {
  const id = nextId();
  const text = plan.textChunks.join('');
  const message: Record<string, unknown> = { role: 'assistant', content: text === '' && plan.toolCalls.length > 0 ? null : text, refusal: null, annotations: [] };
  if (plan.toolCalls.length > 0) {
    message.tool_calls = plan.toolCalls.map((c, i) => ({ id: callId(id, i), type: 'function', function: { name: c.name, arguments: c.arguments } }));
  }
  return JSON.stringify({
    id: `chatcmpl-mock${id}`,
    object: 'chat.completion',
    created: nowSeconds(),
    model: plan.model,
    choices: Array.from({ length: view.choices ?? 1 }, (_, index) => ({ index, message, logprobs: null, finish_reason: finishReason(plan) })),
    usage: usageOf(plan),
    service_tier: 'default',
    system_fingerprint: 'fp_mock',
  });
}

function stream(plan: Plan, view: RequestView): Frame[] {
  const includeUsage = view.includeUsage;
  const id = nextId();
  const base = { id: `chatcmpl-mock${id}`, object: 'chat.completion.chunk', created: nowSeconds(), model: plan.model, system_fingerprint: 'fp_mock' };
  const usageField = includeUsage ? { usage: null } : {};
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
    sse({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...usageField });
  const frames: Frame[] = [chunk({ role: 'assistant', content: '', refusal: null })];
  for (const text of plan.textChunks) frames.push(chunk({ content: text }));
  plan.toolCalls.forEach((c, i) => {
    frames.push(chunk({ tool_calls: [{ index: i, id: callId(id, i), type: 'function', function: { name: c.name, arguments: '' } }] }));
    for (const piece of splitArguments(c.arguments)) frames.push(chunk({ tool_calls: [{ index: i, function: { arguments: piece } }] }));
  });
  frames.push(chunk({}, finishReason(plan)));
  if (includeUsage) frames.push(sse({ ...base, choices: [], usage: usageOf(plan) }));
  frames.push('data: [DONE]\n\n');
  return frames;
}

const ERROR_TYPES: Readonly<Record<number, [string, string | null]>> = {
  400: ['invalid_request_error', null],
  401: ['invalid_request_error', 'invalid_api_key'],
  403: ['invalid_request_error', 'unsupported_country_region_territory'],
  404: ['invalid_request_error', 'model_not_found'],
  429: ['requests', 'rate_limit_exceeded'],
};

export function openAIError(status: number, message: string): ErrorReply {
  const [type, code] = ERROR_TYPES[status] ?? (status >= 500 ? ['server_error', null] : ['invalid_request_error', null]);
  return { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: { message, type, param: null, code } }) };
}

export const openAIFormat: WireFormat = {
  view,
  json,
  streamContentType: 'text/event-stream; charset=utf-8',
  stream,
  error: openAIError,
};

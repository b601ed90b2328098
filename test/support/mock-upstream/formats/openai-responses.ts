import { splitArguments, textOf, type Plan, type RequestView } from '../plan';
import { namedSse, nextId, nowSeconds, type Frame, type RouteInfo, type WireFormat } from './format';
import { openAIError } from './openai';

type Item = { type?: string; role?: string; content?: unknown; output?: unknown };

/** OpenAI Responses API (`POST /v1/responses`): input as a string or items, function tools, typed stream events. */
function view(body: Record<string, unknown>, route: RouteInfo): RequestView {
  const items: Item[] = typeof body.input === 'string' ? [{ type: 'message', role: 'user', content: body.input }] : Array.isArray(body.input) ? (body.input as Item[]) : [];
  const tools = Array.isArray(body.tools) ? (body.tools as Array<{ type?: string; name?: string }>) : [];
  const last = items[items.length - 1];
  const lastUser = [...items].reverse().find((i) => (i.type ?? 'message') === 'message' && i.role === 'user');
  const choice = body.tool_choice as unknown;
  let toolChoice: RequestView['toolChoice'] = { kind: 'auto' };
  if (choice === 'none') toolChoice = { kind: 'none' };
  else if (choice === 'required') toolChoice = { kind: 'required' };
  else if (choice && typeof choice === 'object' && typeof (choice as { name?: unknown }).name === 'string') toolChoice = { kind: 'tool', name: (choice as { name: string }).name };
  return {
    model: route.model ?? (typeof body.model === 'string' ? body.model : 'mock-model'),
    stream: body.stream === true,
    textLength: textOf(body.instructions ?? '').length + items.reduce((n, i) => n + textOf(i.content ?? i.output ?? '').length, 0),
    lastUserText: lastUser ? textOf(lastUser.content) : '',
    toolNames: tools.filter((t) => t.type === 'function').map((t) => t.name ?? '').filter(Boolean),
    toolChoice,
    lastIsToolResult: last?.type === 'function_call_output',
    includeUsage: true,
  };
}

const usageOf = (plan: Plan) => ({
  input_tokens: plan.usage.input,
  input_tokens_details: { cached_tokens: plan.usage.cached },
  output_tokens: plan.usage.output,
  output_tokens_details: { reasoning_tokens: plan.usage.reasoning },
  total_tokens: plan.usage.input + plan.usage.output,
});

function outputItems(plan: Plan, id: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const text = plan.textChunks.join('');
  if (text !== '') out.push({ id: `msg_mock${id}`, type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text, annotations: [], logprobs: [] }] });
  plan.toolCalls.forEach((c, i) => out.push({ id: `fc_mock${id}_${i}`, type: 'function_call', status: 'completed', call_id: `call_mock${id}_${i}`, name: c.name, arguments: c.arguments }));
  return out;
}

function response(plan: Plan, id: string, status: 'in_progress' | 'completed' | 'incomplete', output: Array<Record<string, unknown>>): Record<string, unknown> {
  return {
    id: `resp_mock${id}`,
    object: 'response',
    created_at: nowSeconds(),
    status,
    error: null,
    incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    model: plan.model,
    output,
    parallel_tool_calls: true,
    tool_choice: 'auto',
    tools: [],
    usage: status === 'in_progress' ? null : usageOf(plan),
  };
}

const finalStatus = (plan: Plan) => (plan.truncated ? 'incomplete' : 'completed');

function json(plan: Plan): string {
  const id = nextId();
  return JSON.stringify(response(plan, id, finalStatus(plan), outputItems(plan, id)));
}

function stream(plan: Plan): Frame[] {
  const id = nextId();
  let seq = 0;
  const ev = (type: string, data: Record<string, unknown>) => namedSse(type, { type, sequence_number: seq++, ...data });
  const items = outputItems(plan, id);
  const frames: Frame[] = [ev('response.created', { response: response(plan, id, 'in_progress', []) }), ev('response.in_progress', { response: response(plan, id, 'in_progress', []) })];
  items.forEach((item, output_index) => {
    if (item.type === 'message') {
      const text = plan.textChunks.join('');
      frames.push(ev('response.output_item.added', { output_index, item: { ...item, status: 'in_progress', content: [] } }));
      frames.push(ev('response.content_part.added', { item_id: item.id, output_index, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } }));
      for (const delta of plan.textChunks) frames.push(ev('response.output_text.delta', { item_id: item.id, output_index, content_index: 0, delta, logprobs: [] }));
      frames.push(ev('response.output_text.done', { item_id: item.id, output_index, content_index: 0, text, logprobs: [] }));
      frames.push(ev('response.content_part.done', { item_id: item.id, output_index, content_index: 0, part: { type: 'output_text', text, annotations: [] } }));
    } else {
      frames.push(ev('response.output_item.added', { output_index, item: { ...item, status: 'in_progress', arguments: '' } }));
      for (const delta of splitArguments(String(item.arguments))) frames.push(ev('response.function_call_arguments.delta', { item_id: item.id, output_index, delta }));
      frames.push(ev('response.function_call_arguments.done', { item_id: item.id, output_index, arguments: item.arguments }));
    }
    frames.push(ev('response.output_item.done', { output_index, item }));
  });
  const status = finalStatus(plan);
  frames.push(ev(status === 'completed' ? 'response.completed' : 'response.incomplete', { response: response(plan, id, status, items) }));
  return frames;
}

export const openAIResponsesFormat: WireFormat = {
  view,
  json,
  streamContentType: 'text/event-stream; charset=utf-8',
  stream,
  error: openAIError,
};

import { textOf, type Plan, type RequestView } from '../plan';
import { nextId, parseArguments, type ErrorReply, type Frame, type RouteInfo, type WireFormat } from './format';

type Part = { text?: string; functionCall?: unknown; functionResponse?: unknown };
type Content = { role?: string; parts?: Part[] };

function view(body: Record<string, unknown>, route: RouteInfo): RequestView {
  const contents = Array.isArray(body.contents) ? (body.contents as Content[]) : [];
  const tools = Array.isArray(body.tools) ? (body.tools as Array<{ functionDeclarations?: Array<{ name?: string }> }>) : [];
  const last = contents[contents.length - 1];
  const lastUser = [...contents].reverse().find((c) => (c.role ?? 'user') === 'user' && partsText(c) !== '');
  const config = (body.toolConfig as { functionCallingConfig?: { mode?: string; allowedFunctionNames?: string[] } } | undefined)?.functionCallingConfig;
  let toolChoice: RequestView['toolChoice'] = { kind: 'auto' };
  if (config?.mode === 'NONE') toolChoice = { kind: 'none' };
  else if (config?.mode === 'ANY') {
    const only = config.allowedFunctionNames?.length === 1 ? config.allowedFunctionNames[0] : undefined;
    toolChoice = only ? { kind: 'tool', name: only } : { kind: 'required' };
  }
  const system = (body.systemInstruction ?? body.system_instruction) as Content | undefined;
  return {
    model: route.model ?? 'mock-model',
    stream: route.stream,
    textLength: (system ? partsText(system).length : 0) + contents.reduce((n, c) => n + partsText(c).length, 0),
    lastUserText: lastUser ? partsText(lastUser) : '',
    toolNames: tools.flatMap((t) => (t.functionDeclarations ?? []).map((d) => d.name ?? '')).filter(Boolean),
    toolChoice,
    lastIsToolResult: (last?.parts ?? []).some((p) => p.functionResponse !== undefined),
    includeUsage: true,
    choices: (body.generationConfig as { candidateCount?: number } | undefined)?.candidateCount ?? 1,
  };
}

const partsText = (c: Content): string => (c.parts ?? []).map((p) => textOf(p.text ?? '')).join('');

/** promptTokenCount includes the cached part; candidatesTokenCount excludes thoughts. */
function usageOf(plan: Plan): Record<string, number> {
  const u: Record<string, number> = {
    promptTokenCount: plan.usage.input,
    candidatesTokenCount: plan.usage.output - plan.usage.reasoning,
    totalTokenCount: plan.usage.input + plan.usage.output,
  };
  if (plan.usage.cached > 0) u.cachedContentTokenCount = plan.usage.cached;
  if (plan.usage.reasoning > 0) u.thoughtsTokenCount = plan.usage.reasoning;
  return u;
}

function response(plan: Plan, id: string, parts: Part[], last: boolean, count = 1): Record<string, unknown> {
  const candidates = Array.from({ length: count }, (_, index) => {
    const candidate: Record<string, unknown> = { content: { role: 'model', parts }, index };
    if (last) candidate.finishReason = plan.truncated ? 'MAX_TOKENS' : 'STOP';
    return candidate;
  });
  const out: Record<string, unknown> = { candidates, modelVersion: plan.model, responseId: `mock${id}` };
  if (last) out.usageMetadata = usageOf(plan);
  return out;
}

const callParts = (plan: Plan): Part[] => plan.toolCalls.map((c) => ({ functionCall: { name: c.name, args: parseArguments(c.arguments) } }));

function json(plan: Plan, view: RequestView): string {
  const id = nextId();
  const parts: Part[] = [];
  const text = plan.textChunks.join('');
  if (text !== '') parts.push({ text });
  parts.push(...callParts(plan));
  return JSON.stringify(response(plan, id, parts, true, view.choices));
}

function events(plan: Plan): Array<Record<string, unknown>> {
  const id = nextId();
  const out = plan.textChunks.map((text) => response(plan, id, [{ text }], false));
  const calls = callParts(plan);
  if (calls.length > 0 || out.length === 0) out.push(response(plan, id, calls.length > 0 ? calls : [{ text: '' }], true));
  else out[out.length - 1] = response(plan, id, [{ text: plan.textChunks[plan.textChunks.length - 1] }], true);
  return out;
}

const STATUS: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export function geminiError(status: number, message: string): ErrorReply {
  const code = STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION');
  return { headers: { 'content-type': 'application/json; charset=UTF-8' }, body: JSON.stringify({ error: { code: status, message, status: code } }) };
}

/** `?alt=sse`: one GenerateContentResponse per SSE event, no [DONE]. */
export const geminiSseFormat: WireFormat = {
  view,
  json,
  streamContentType: 'text/event-stream',
  stream: (plan) => events(plan).map((e) => `data: ${JSON.stringify(e)}\r\n\r\n`),
  error: geminiError,
};

/** `:streamGenerateContent` without alt=sse: a JSON array written element by element. */
export const geminiArrayFormat: WireFormat = {
  ...geminiSseFormat,
  streamContentType: 'application/json; charset=UTF-8',
  stream: (plan): Frame[] => {
    const list = events(plan);
    return list.map((e, i) => `${i === 0 ? '[' : ',\r\n'}${JSON.stringify(e)}${i === list.length - 1 ? ']' : ''}`);
  },
};

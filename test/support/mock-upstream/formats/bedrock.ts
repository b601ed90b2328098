import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { splitArguments, textOf, type Plan, type RequestView } from '../plan';
import { nextId, parseArguments, type ErrorReply, type Frame, type RouteInfo, type WireFormat } from './format';

type Block = { text?: string; toolUse?: unknown; toolResult?: unknown };
type Msg = { role?: string; content?: Block[] };

function view(body: Record<string, unknown>, route: RouteInfo): RequestView {
  const messages = Array.isArray(body.messages) ? (body.messages as Msg[]) : [];
  const toolConfig = body.toolConfig as { tools?: Array<{ toolSpec?: { name?: string } }>; toolChoice?: { any?: unknown; tool?: { name?: string } } } | undefined;
  const last = messages[messages.length - 1];
  const lastUser = [...messages].reverse().find((m) => m.role === 'user' && blocksText(m) !== '');
  let toolChoice: RequestView['toolChoice'] = { kind: 'auto' };
  if (toolConfig?.toolChoice?.tool?.name) toolChoice = { kind: 'tool', name: toolConfig.toolChoice.tool.name };
  else if (toolConfig?.toolChoice?.any) toolChoice = { kind: 'required' };
  return {
    model: route.model ?? 'mock-model',
    stream: route.stream,
    textLength: textOf(body.system).length + messages.reduce((n, m) => n + blocksText(m).length, 0),
    lastUserText: lastUser ? blocksText(lastUser) : '',
    toolNames: (toolConfig?.tools ?? []).map((t) => t.toolSpec?.name ?? '').filter(Boolean),
    toolChoice,
    lastIsToolResult: (last?.content ?? []).some((b) => b.toolResult !== undefined),
    includeUsage: true,
  };
}

const blocksText = (m: Msg): string => (m.content ?? []).map((b) => b.text ?? '').join('');

/** Bedrock's inputTokens excludes cache reads and writes, which are reported beside it. */
function usageOf(plan: Plan): Record<string, number> {
  const input = Math.max(0, plan.usage.input - plan.usage.cached - plan.usage.cache_write);
  const u: Record<string, number> = { inputTokens: input, outputTokens: plan.usage.output, totalTokens: plan.usage.input + plan.usage.output };
  if (plan.usage.cached > 0) u.cacheReadInputTokens = plan.usage.cached;
  if (plan.usage.cache_write > 0) u.cacheWriteInputTokens = plan.usage.cache_write;
  return u;
}

const stopReason = (plan: Plan): string => (plan.truncated ? 'max_tokens' : plan.toolCalls.length > 0 ? 'tool_use' : 'end_turn');
const toolUseId = (id: string, i: number): string => `tooluse_mock${id}_${i}`;

function json(plan: Plan): string {
  const id = nextId();
  const content: unknown[] = [];
  const text = plan.textChunks.join('');
  if (text !== '') content.push({ text });
  plan.toolCalls.forEach((c, i) => content.push({ toolUse: { toolUseId: toolUseId(id, i), name: c.name, input: parseArguments(c.arguments) } }));
  return JSON.stringify({
    output: { message: { role: 'assistant', content } },
    stopReason: stopReason(plan),
    usage: usageOf(plan),
    metrics: { latencyMs: 1 },
  });
}

const codec = new EventStreamCodec(toUtf8, fromUtf8);

export function encodeEvent(eventType: string, payload: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

/** Like the real service, text blocks start with their first delta; tool blocks have a contentBlockStart. */
function stream(plan: Plan): Frame[] {
  const id = nextId();
  const frames: Frame[] = [encodeEvent('messageStart', { role: 'assistant' })];
  let index = 0;
  if (plan.textChunks.length > 0) {
    for (const text of plan.textChunks) frames.push(encodeEvent('contentBlockDelta', { contentBlockIndex: index, delta: { text } }));
    frames.push(encodeEvent('contentBlockStop', { contentBlockIndex: index }));
    index++;
  }
  plan.toolCalls.forEach((c, i) => {
    frames.push(encodeEvent('contentBlockStart', { contentBlockIndex: index, start: { toolUse: { toolUseId: toolUseId(id, i), name: c.name } } }));
    for (const piece of splitArguments(c.arguments)) frames.push(encodeEvent('contentBlockDelta', { contentBlockIndex: index, delta: { toolUse: { input: piece } } }));
    frames.push(encodeEvent('contentBlockStop', { contentBlockIndex: index }));
    index++;
  });
  frames.push(encodeEvent('messageStop', { stopReason: stopReason(plan) }));
  frames.push(encodeEvent('metadata', { usage: usageOf(plan), metrics: { latencyMs: 1 } }));
  return frames;
}

const ERROR_TYPES: Readonly<Record<number, string>> = {
  400: 'ValidationException',
  403: 'AccessDeniedException',
  404: 'ResourceNotFoundException',
  408: 'ModelTimeoutException',
  424: 'ModelErrorException',
  429: 'ThrottlingException',
  500: 'InternalServerException',
  503: 'ServiceUnavailableException',
};

export const bedrockErrorType = (status: number): string => ERROR_TYPES[status] ?? (status >= 500 ? 'InternalServerException' : 'ValidationException');

export function bedrockError(status: number, message: string): ErrorReply {
  return {
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': `${bedrockErrorType(status)}:http://internal.amazon.com/coral/com.amazon.bedrock/` },
    body: JSON.stringify({ message }),
  };
}

export const bedrockFormat: WireFormat = {
  view,
  json,
  streamContentType: 'application/vnd.amazon.eventstream',
  stream,
  error: bedrockError,
};

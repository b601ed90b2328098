import type { Plan, RequestView } from '../plan';
import { anthropicFormat, anthropicStreamEvents } from './anthropic';
import { bedrockError, encodeEvent } from './bedrock';
import type { Frame, RouteInfo, WireFormat } from './format';

/** `us.anthropic.claude-3-5-haiku-20241022-v1:0` → `claude-3-5-haiku-20241022`, the model name InvokeModel answers with. */
const answeredModel = (modelId: string): string => modelId.replace(/^(?:[a-z]{2,4}\.)?anthropic\./, '').replace(/-v\d+(?::\d+)?$/, '');

const view = (body: Record<string, unknown>, route: RouteInfo): RequestView => ({
  ...anthropicFormat.view(body, route),
  model: answeredModel(route.model ?? 'mock-model'),
  stream: route.stream,
});

/** Padding AWS adds to chunk events so their sizes do not reveal the text. */
const PAD = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * InvokeModelWithResponseStream: every Anthropic stream event base64-encoded as the `bytes` of a
 * `chunk` event; message_stop carries Bedrock's invocation metrics, as the service sends them.
 */
function stream(plan: Plan): Frame[] {
  return anthropicStreamEvents(plan).map(([event, data], i) => {
    const payload = event === 'message_stop'
      ? { ...data, 'amazon-bedrock-invocationMetrics': { inputTokenCount: plan.usage.input, outputTokenCount: plan.usage.output, invocationLatency: 5, firstByteLatency: 2 } }
      : data;
    return encodeEvent('chunk', { bytes: Buffer.from(JSON.stringify(payload)).toString('base64'), p: PAD.slice(0, (i * 7) % PAD.length) });
  });
}

/** What Bedrock's InvokeModel refuses in an Anthropic body (a 400 ValidationException like the service's). */
export function invokeBodyProblem(body: Record<string, unknown>): string | null {
  for (const key of ['model', 'stream']) if (key in body) return `Malformed input request: #: extraneous key [${key}] is not permitted, please reformat your input and try again.`;
  if (body.anthropic_version !== 'bedrock-2023-05-31') return 'Malformed input request: #/anthropic_version: bedrock-2023-05-31 was expected, please reformat your input and try again.';
  return null;
}

/** Bedrock InvokeModel of an Anthropic model: Anthropic Messages JSON in and out, streamed in AWS event-stream framing. */
export const bedrockInvokeFormat: WireFormat = {
  view,
  json: anthropicFormat.json,
  streamContentType: 'application/vnd.amazon.eventstream',
  stream,
  error: bedrockError,
};

import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { startMockUpstream, type MockUpstream } from './server';

const json = (r: Response): Promise<any> => r.json();

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** Splits an AWS event-stream body into messages using each prelude's total length. */
function decodeEventStream(bytes: Uint8Array): Array<{ type: string; payload: Record<string, unknown> }> {
  const codec = new EventStreamCodec(toUtf8, fromUtf8);
  const out: Array<{ type: string; payload: Record<string, unknown> }> = [];
  let offset = 0;
  while (offset < bytes.length) {
    const total = new DataView(bytes.buffer, bytes.byteOffset + offset, 4).getUint32(0);
    const message = codec.decode(bytes.subarray(offset, offset + total));
    expect(message.headers[':message-type']?.value).toBe('event');
    expect(message.headers[':content-type']?.value).toBe('application/json');
    out.push({ type: String(message.headers[':event-type']?.value), payload: JSON.parse(toUtf8(message.body)) });
    offset += total;
  }
  return out;
}

describe('mock upstream: Gemini and Bedrock wire formats', () => {
  let mock: MockUpstream;
  beforeAll(async () => {
    mock = await startMockUpstream();
  });
  afterEach(() => mock.reset());
  afterAll(() => mock.close());

  const gemini = { contents: [{ role: 'user', parts: [{ text: 'Hello Gemini' }] }] };

  it('answers generateContent with candidates and usageMetadata', async () => {
    mock.enqueue({ usage: { input: 40, output: 12, cached: 10, reasoning: 5 } });
    const res = await post(`${mock.url}/v1beta/models/gemini-2.0-flash:generateContent`, gemini);
    const body = await json(res);
    expect(body.candidates[0].content.parts).toEqual([{ text: 'Hello from the mock upstream.' }]);
    expect(body.candidates[0].finishReason).toBe('STOP');
    expect(body.modelVersion).toBe('gemini-2.0-flash');
    expect(body.usageMetadata).toEqual({ promptTokenCount: 40, candidatesTokenCount: 7, thoughtsTokenCount: 5, cachedContentTokenCount: 10, totalTokenCount: 52 });
  });

  it('streams SSE GenerateContentResponses that decode back to the text, with a function call when tools are offered', async () => {
    const res = await post(`${mock.url}/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`, gemini);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const events = (await res.text()).split('\r\n\r\n').filter(Boolean).map((e) => JSON.parse(e.replace(/^data: /, '')));
    expect(events.length).toBe(4);
    expect(events.map((e) => e.candidates[0].content.parts[0].text).join('')).toBe('Hello from the mock upstream.');
    expect(events[events.length - 1].candidates[0].finishReason).toBe('STOP');
    expect(events[events.length - 1].usageMetadata.totalTokenCount).toBeGreaterThan(0);

    const tools = { ...gemini, tools: [{ functionDeclarations: [{ name: 'find', parameters: { type: 'object' } }] }] };
    const call = await json(await post(`${mock.url}/v1beta/models/gemini-2.5-flash:generateContent`, tools));
    expect(call.candidates[0].content.parts).toEqual([{ functionCall: { name: 'find', args: {} } }]);
  });

  it('answers batchEmbedContents and Gemini-shaped errors', async () => {
    const emb = await json(await post(`${mock.url}/v1beta/models/text-embedding-004:batchEmbedContents`, {
      requests: [{ model: 'models/text-embedding-004', content: { parts: [{ text: 'x' }] } }, { model: 'models/text-embedding-004', content: { parts: [{ text: 'y' }] } }],
    }));
    expect(emb.embeddings).toHaveLength(2);
    expect(emb.embeddings[0].values.length).toBeGreaterThan(0);

    mock.enqueue({ status: 503, error_message: 'busy' });
    const err = await post(`${mock.url}/v1beta/models/gemini-2.0-flash:generateContent`, gemini);
    expect(err.status).toBe(503);
    expect(await json(err)).toEqual({ error: { code: 503, message: 'busy', status: 'UNAVAILABLE' } });
  });

  const converse = { messages: [{ role: 'user', content: [{ text: 'Hello Bedrock' }] }] };
  const modelId = encodeURIComponent('us.anthropic.claude-3-5-haiku-20241022-v1:0');

  it('answers Converse with output, stopReason and usage that excludes cache tokens from inputTokens', async () => {
    mock.enqueue({ usage: { input: 100, output: 4, cached: 60 } });
    const res = await post(`${mock.url}/model/${modelId}/converse`, converse);
    const body = await json(res);
    expect(body.output.message.content).toEqual([{ text: 'Hello from the mock upstream.' }]);
    expect(body.stopReason).toBe('end_turn');
    expect(body.usage).toEqual({ inputTokens: 40, outputTokens: 4, totalTokens: 104, cacheReadInputTokens: 60 });
    expect(mock.requests[0].path).toBe(`/model/${modelId}/converse`);
  });

  it('streams Converse as binary event-stream frames that decode back to the events', async () => {
    mock.enqueue({ chunks: 2, tool_calls: [{ name: 'calc', arguments: '{"a":1}' }], text: 'Let me check.' });
    const res = await post(`${mock.url}/model/${modelId}/converse-stream`, converse);
    expect(res.headers.get('content-type')).toBe('application/vnd.amazon.eventstream');
    const events = decodeEventStream(new Uint8Array(await res.arrayBuffer()));
    expect(events.map((e) => e.type)).toEqual([
      'messageStart',
      'contentBlockDelta', 'contentBlockDelta', 'contentBlockStop',
      'contentBlockStart', 'contentBlockDelta', 'contentBlockDelta', 'contentBlockStop',
      'messageStop', 'metadata',
    ]);
    const text = events.filter((e) => e.type === 'contentBlockDelta' && e.payload.contentBlockIndex === 0).map((e) => (e.payload.delta as { text: string }).text).join('');
    expect(text).toBe('Let me check.');
    expect(events[4].payload).toMatchObject({ contentBlockIndex: 1, start: { toolUse: { name: 'calc' } } });
    const args = events.filter((e) => e.type === 'contentBlockDelta' && e.payload.contentBlockIndex === 1).map((e) => (e.payload.delta as { toolUse: { input: string } }).toolUse.input).join('');
    expect(args).toBe('{"a":1}');
    expect(events[8].payload).toEqual({ stopReason: 'tool_use' });
    expect(events[9].payload.usage).toMatchObject({ outputTokens: 2 + 3 });
  });

  it('answers Bedrock errors with x-amzn-errortype', async () => {
    mock.enqueue({ status: 429, error_message: 'Too many requests' });
    const res = await post(`${mock.url}/model/${modelId}/converse`, converse);
    expect(res.status).toBe(429);
    expect(res.headers.get('x-amzn-errortype')).toMatch(/^ThrottlingException/);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await json(res)).toEqual({ message: 'Too many requests' });
  });

  const invoke = { anthropic_version: 'bedrock-2023-05-31', max_tokens: 50, messages: [{ role: 'user', content: 'Hello Bedrock' }], future_field: 1 };

  it('answers InvokeModel of an Anthropic model with an Anthropic message and usage, recording body and headers', async () => {
    mock.enqueue({ usage: { input: 100, output: 4, cached: 60 } });
    const res = await post(`${mock.url}/model/${modelId}/invoke`, invoke, { 'x-amz-date': '20261130T000000Z' });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({ type: 'message', role: 'assistant', model: 'claude-3-5-haiku-20241022', content: [{ type: 'text', text: 'Hello from the mock upstream.' }], stop_reason: 'end_turn' });
    expect(body.usage).toMatchObject({ input_tokens: 40, cache_read_input_tokens: 60, output_tokens: 4 });
    expect(mock.requests[0]).toMatchObject({ path: `/model/${modelId}/invoke`, body: invoke });
    expect(mock.requests[0].headers['x-amz-date']).toBe('20261130T000000Z');
  });

  it('refuses an InvokeModel body with model or stream, or without the Bedrock anthropic_version, like the service', async () => {
    for (const bad of [{ ...invoke, model: 'claude' }, { ...invoke, stream: true }, { ...invoke, anthropic_version: '2023-06-01' }]) {
      const res = await post(`${mock.url}/model/${modelId}/invoke`, bad);
      expect(res.status).toBe(400);
      expect(res.headers.get('x-amzn-errortype')).toMatch(/^ValidationException/);
      expect((await json(res)).message).toMatch(/^Malformed input request/);
    }
  });

  it('streams InvokeModelWithResponseStream as chunk events whose bytes are Anthropic stream events', async () => {
    mock.enqueue({ chunks: 2, usage: { input: 30, output: 9 } });
    const res = await post(`${mock.url}/model/${modelId}/invoke-with-response-stream`, invoke);
    expect(res.headers.get('content-type')).toBe('application/vnd.amazon.eventstream');
    const frames = decodeEventStream(new Uint8Array(await res.arrayBuffer()));
    expect(new Set(frames.map((f) => f.type))).toEqual(new Set(['chunk']));
    const events = frames.map((f) => JSON.parse(Buffer.from(f.payload.bytes as string, 'base64').toString('utf8')));
    expect(events.map((e) => e.type)).toEqual(['message_start', 'ping', 'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
    expect(events[0].message.usage).toMatchObject({ input_tokens: 30 });
    expect(events[6].usage).toEqual({ output_tokens: 9 });
    expect(events[7]['amazon-bedrock-invocationMetrics']).toMatchObject({ inputTokenCount: 30, outputTokenCount: 9 });
  });
});

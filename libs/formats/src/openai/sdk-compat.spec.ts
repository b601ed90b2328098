import OpenAI from 'openai';
import { GatewayError } from '@gatehouse/contracts';
import { startFakeUpstream, type CannedReply, type FakeUpstream } from '../testing/fake-upstream';
import { encodeAll, TOOLS_RESPONSE, TOOLS_STREAM } from '../testing/samples';
import { decodeOpenAIChat } from './chat-request';
import { encodeOpenAIChat } from './chat-response';
import { OpenAIChatStreamEncoder } from './chat-stream';
import { decodeOpenAIEmbeddings, encodeOpenAIEmbeddings } from './embeddings';
import { renderOpenAIError } from './error';

/** The official openai SDK, pointed at a local server answering with this codec's bytes. */
describe('openai SDK parses the OpenAI codec output', () => {
  let server: FakeUpstream;
  let reply: (body: unknown) => CannedReply;
  let client: OpenAI;

  beforeAll(async () => {
    server = await startFakeUpstream((body) => reply(body));
    client = new OpenAI({ apiKey: 'gh-test', baseURL: `${server.url}/v1`, maxRetries: 0 });
  });
  afterAll(() => server.close());

  const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
    {
      type: 'function',
      function: { name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
    },
  ];
  const meta = { id: 'chatcmpl-gh', model: 'gpt-4o-mini', created: 1764107723 };

  it('reads a non-streaming completion with two tool calls, finish reason and usage', async () => {
    reply = (body) => {
      decodeOpenAIChat(body);
      return { contentType: 'application/json', body: JSON.stringify(encodeOpenAIChat(TOOLS_RESPONSE, meta)) };
    };
    const res = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Weather in Paris and Oslo?' }],
      tools,
    });
    const choice = res.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBe('Checking both cities.');
    expect(choice.message.tool_calls?.map((c) => (c.type === 'function' ? [c.id, c.function.arguments] : []))).toEqual([
      ['call_paris', '{"city":"Paris"}'],
      ['call_oslo', '{"city":"Oslo"}'],
    ]);
    expect(res.usage).toMatchObject({ prompt_tokens: 120, completion_tokens: 40, total_tokens: 160 });
    expect(res.usage?.prompt_tokens_details?.cached_tokens).toBe(64);
    expect(res.usage?.completion_tokens_details?.reasoning_tokens).toBe(12);
  });

  it('assembles a stream of text and two parallel tool calls into the final completion with usage', async () => {
    reply = (body) => {
      const { request, includeUsage } = decodeOpenAIChat(body);
      expect(request.stream).toBe(true);
      const enc = new OpenAIChatStreamEncoder({ ...meta, includeUsage });
      return { contentType: 'text/event-stream', body: encodeAll(enc, TOOLS_STREAM) };
    };
    const stream = client.chat.completions.stream({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Weather in Paris and Oslo?' }],
      tools,
      stream_options: { include_usage: true },
    });
    const final = await stream.finalChatCompletion();
    const choice = final.choices[0]!;
    expect(final.id).toBe('chatcmpl-gh');
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBe('Checking.');
    expect(
      choice.message.tool_calls?.map((c) => (c.type === 'function' ? [c.id, c.function.name, c.function.arguments] : [])),
    ).toEqual([
      ['call_paris', 'weather', '{"city":"Paris"}'],
      ['call_oslo', 'weather', '{"city":"Oslo"}'],
    ]);
    expect(final.usage).toMatchObject({ prompt_tokens: 120, completion_tokens: 40, total_tokens: 160 });
    expect(final.usage?.prompt_tokens_details?.cached_tokens).toBe(64);
  });

  it('surfaces an in-stream error as an APIError carrying its message', async () => {
    reply = () => {
      const enc = new OpenAIChatStreamEncoder({ ...meta, includeUsage: false });
      const body =
        enc.push({ type: 'text_delta', index: 0, text: 'Par' }) +
        enc.error({ type: 'upstream_error', message: 'every target failed' }) +
        enc.finish();
      return { contentType: 'text/event-stream', body };
    };
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
      })(),
    ).rejects.toThrow('every target failed');
    expect(seen.join('')).toBe('Par');
  });

  it('exposes a rendered error as an APIError with status, type, code and param', async () => {
    const rendered = renderOpenAIError(
      new GatewayError(429, 'budget_exceeded', 'Team budget of $10/day is spent', {
        code: 'budget_day',
        headers: { 'retry-after': '3600' },
      }),
    );
    reply = () => ({ status: rendered.status, contentType: 'application/json', body: rendered.body });
    const err = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    const apiErr = err as InstanceType<typeof OpenAI.APIError>;
    expect(apiErr.status).toBe(429);
    expect(apiErr.type).toBe('budget_exceeded');
    expect(apiErr.code).toBe('budget_day');
    expect(apiErr.message).toContain('Team budget of $10/day is spent');
  });

  it('decodes the base64 embeddings the SDK asks for by default', async () => {
    reply = (body) => {
      const { request } = decodeOpenAIEmbeddings(body);
      const res = { model: 'emb-upstream', data: request.input.map((_, i) => [i + 0.5, -2]), usage: { input_tokens: 5 } };
      return { contentType: 'application/json', body: JSON.stringify(encodeOpenAIEmbeddings(res, { model: request.model, encoding_format: request.encoding_format })) };
    };
    const res = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'] });
    expect(res.data.map((d) => d.embedding)).toEqual([
      [0.5, -2],
      [1.5, -2],
    ]);
    expect(res.usage.prompt_tokens).toBe(5);
    const floats = await client.embeddings.create({ model: 'e', input: 'a', encoding_format: 'float' });
    expect(floats.data[0]?.embedding).toEqual([0.5, -2]);
  });
});

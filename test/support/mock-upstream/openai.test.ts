import OpenAI from 'openai';
import { startMockUpstream, type MockUpstream } from './server';

const json = (r: Response): Promise<any> => r.json();

describe('mock upstream: OpenAI wire format (official SDK)', () => {
  let mock: MockUpstream;
  let client: OpenAI;
  beforeAll(async () => {
    mock = await startMockUpstream();
    client = new OpenAI({ apiKey: 'sk-test', baseURL: `${mock.url}/v1`, maxRetries: 0 });
  });
  afterEach(() => mock.reset());
  afterAll(() => mock.close());

  const messages = [{ role: 'user' as const, content: 'Say hello to the gateway please' }];

  it('answers a chat completion with the default text and deterministic usage', async () => {
    const res = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(res.choices[0].message.content).toBe('Hello from the mock upstream.');
    expect(res.choices[0].finish_reason).toBe('stop');
    expect(res.model).toBe('gpt-4o-mini');
    expect(res.usage).toMatchObject({ prompt_tokens: Math.ceil(messages[0].content.length / 4), completion_tokens: 4 });
  });

  it('streams the text in several chunks and ends with a usage chunk when asked', async () => {
    mock.enqueue({ chunks: 5, usage: { input: 20, output: 7, cached: 10, reasoning: 2 } });
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true, stream_options: { include_usage: true } });
    const pieces: string[] = [];
    let usage: OpenAI.CompletionUsage | null | undefined;
    let finish: string | null = null;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (choice?.delta.content) pieces.push(choice.delta.content);
      if (choice?.finish_reason) finish = choice.finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(pieces).toHaveLength(5);
    expect(pieces.join('')).toBe('Hello from the mock upstream.');
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ prompt_tokens: 20, completion_tokens: 7, prompt_tokens_details: { cached_tokens: 10 }, completion_tokens_details: { reasoning_tokens: 2 } });
  });

  it('sends no usage chunk when stream_options.include_usage is absent', async () => {
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true });
    const usages = [];
    for await (const chunk of stream) if (chunk.usage) usages.push(chunk.usage);
    expect(usages).toHaveLength(0);
  });

  const tools: OpenAI.ChatCompletionTool[] = [
    { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } },
    { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: {} } } },
  ];

  it('calls the first tool when tools are offered, the forced one when forced, none after a tool result', async () => {
    const auto = await client.chat.completions.create({ model: 'gpt-4o', messages, tools });
    expect(auto.choices[0].finish_reason).toBe('tool_calls');
    const call = auto.choices[0].message.tool_calls?.[0];
    expect(call?.type === 'function' && call.function.name).toBe('get_weather');

    const forced = await client.chat.completions.create({ model: 'gpt-4o', messages, tools, tool_choice: { type: 'function', function: { name: 'get_time' } } });
    const forcedCall = forced.choices[0].message.tool_calls?.[0];
    expect(forcedCall?.type === 'function' && forcedCall.function.name).toBe('get_time');

    const none = await client.chat.completions.create({ model: 'gpt-4o', messages, tools, tool_choice: 'none' });
    expect(none.choices[0].message.tool_calls).toBeUndefined();

    const afterResult = await client.chat.completions.create({
      model: 'gpt-4o',
      tools,
      messages: [
        ...messages,
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
      ],
    });
    expect(afterResult.choices[0].message.content).toBe('Hello from the mock upstream.');
  });

  it('streams parallel tool calls whose arguments reassemble', async () => {
    mock.enqueue({ tool_calls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }, { name: 'get_time', arguments: '{"tz":"UTC"}' }] });
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages, tools, stream: true });
    const calls: Array<{ name: string; args: string }> = [];
    for await (const chunk of stream) {
      for (const d of chunk.choices[0]?.delta.tool_calls ?? []) {
        calls[d.index] ??= { name: '', args: '' };
        if (d.function?.name) calls[d.index].name = d.function.name;
        calls[d.index].args += d.function?.arguments ?? '';
      }
    }
    expect(calls).toEqual([{ name: 'get_weather', args: '{"city":"Paris"}' }, { name: 'get_time', args: '{"tz":"UTC"}' }]);
  });

  it('answers Azure deployment paths with the deployment as the model', async () => {
    const res = await fetch(`${mock.url}/openai/deployments/my-gpt4o/chat/completions?api-version=2024-10-21`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'api-key': 'k' },
      body: JSON.stringify({ messages }),
    });
    expect(res.status).toBe(200);
    expect((await json(res)).model).toBe('my-gpt4o');
    expect(mock.requests[0].query).toEqual({ 'api-version': '2024-10-21' });
  });

  it('returns embeddings (base64, as the SDK asks by default) and a model list', async () => {
    const emb = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'], dimensions: 8 });
    expect(emb.data).toHaveLength(2);
    expect(emb.data[0].embedding).toHaveLength(8);
    expect(emb.data[0].embedding).not.toEqual(emb.data[1].embedding);
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toContain('gpt-4o-mini');
  });

  it('answers errors in OpenAI shape with Retry-After on 429', async () => {
    mock.enqueue({ status: 429, retry_after: 3, error_message: 'slow down' });
    const err = await client.chat.completions.create({ model: 'gpt-4o', messages }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    const rate = err as InstanceType<typeof OpenAI.RateLimitError>;
    expect(rate.status).toBe(429);
    expect(rate.headers.get('retry-after')).toBe('3');
    expect(rate.error).toMatchObject({ message: 'slow down', code: 'rate_limit_exceeded' });
  });
});

import Anthropic from '@anthropic-ai/sdk';
import { startMockUpstream, type MockUpstream } from './server';

describe('mock upstream: Anthropic wire format (official SDK)', () => {
  let mock: MockUpstream;
  let client: Anthropic;
  beforeAll(async () => {
    mock = await startMockUpstream();
    client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: mock.url, maxRetries: 0 });
  });
  afterEach(() => mock.reset());
  afterAll(() => mock.close());

  const base = { model: 'claude-3-5-haiku-20241022', max_tokens: 100, messages: [{ role: 'user' as const, content: 'Hi there' }] };
  const tools: Anthropic.Tool[] = [
    { name: 'lookup', input_schema: { type: 'object', properties: {} } },
    { name: 'search', input_schema: { type: 'object', properties: {} } },
  ];

  it('answers a message with text and usage that splits out cache reads and writes', async () => {
    mock.enqueue({ usage: { input: 100, output: 9, cached: 30, cache_write: 20 } });
    const msg = await client.messages.create(base);
    expect(msg.content).toEqual([{ type: 'text', text: 'Hello from the mock upstream.' }]);
    expect(msg.stop_reason).toBe('end_turn');
    expect(msg.usage).toMatchObject({ input_tokens: 50, cache_read_input_tokens: 30, cache_creation_input_tokens: 20, output_tokens: 9 });
  });

  it('streams message_start … message_stop that the SDK assembles', async () => {
    mock.enqueue({ chunks: 3, echo: true });
    const stream = client.messages.stream(base);
    const deltas: string[] = [];
    stream.on('text', (t) => deltas.push(t));
    const final = await stream.finalMessage();
    expect(deltas).toHaveLength(3);
    expect(final.content).toEqual([{ type: 'text', text: 'Hi there' }]);
    expect(final.usage.output_tokens).toBe(3);
  });

  it('answers with a tool_use block, streamed or not, and stops calling after a tool result', async () => {
    const msg = await client.messages.create({ ...base, tools, tool_choice: { type: 'tool', name: 'search' } });
    expect(msg.stop_reason).toBe('tool_use');
    expect(msg.content[0]).toMatchObject({ type: 'tool_use', name: 'search', input: {} });

    mock.enqueue({ tool_calls: [{ name: 'lookup', arguments: '{"q":"x"}' }, { name: 'search', arguments: '{"q":"y"}' }] });
    const streamed = await client.messages.stream({ ...base, tools }).finalMessage();
    expect(streamed.content).toMatchObject([
      { type: 'tool_use', name: 'lookup', input: { q: 'x' } },
      { type: 'tool_use', name: 'search', input: { q: 'y' } },
    ]);

    const after = await client.messages.create({
      ...base,
      tools,
      messages: [
        ...base.messages,
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'lookup', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'found' }] },
      ],
    });
    expect(after.content[0]).toMatchObject({ type: 'text' });
  });

  it('answers errors in Anthropic shape', async () => {
    mock.enqueue({ status: 529, error_message: 'Overloaded' });
    const err = await client.messages.create(base).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect((err as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
    expect((err as InstanceType<typeof Anthropic.APIError>).error).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
  });
});

import Anthropic from '@anthropic-ai/sdk';
import type { StreamEvent } from '../canonical';
import { GatewayError } from '@gatehouse/contracts';
import { startFakeUpstream, type CannedReply, type FakeUpstream } from '../testing/fake-upstream';
import { encodeAll, TOOLS_RESPONSE, TOOLS_STREAM } from '../testing/samples';
import { renderAnthropicError } from './error';
import { decodeAnthropicMessages } from './messages-request';
import { encodeAnthropicMessage } from './messages-response';
import { AnthropicStreamEncoder } from './messages-stream';

/** The official @anthropic-ai/sdk, pointed at a local server answering with this codec's bytes. */
describe('@anthropic-ai/sdk parses the Anthropic codec output', () => {
  let server: FakeUpstream;
  let reply: (body: unknown) => CannedReply;
  let client: Anthropic;

  beforeAll(async () => {
    server = await startFakeUpstream((body) => reply(body));
    client = new Anthropic({ apiKey: 'gh-test', baseURL: server.url, maxRetries: 0 });
  });
  afterAll(() => server.close());

  const tools: Anthropic.Messages.Tool[] = [
    { name: 'weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
  ];
  const params = {
    model: 'claude-gatehouse-test',
    max_tokens: 512,
    messages: [{ role: 'user' as const, content: 'Weather in Paris and Oslo?' }],
    tools,
  };

  it('reads a non-streaming message with two tool_use blocks, stop reason and usage', async () => {
    reply = (body) => {
      decodeAnthropicMessages(body);
      return { contentType: 'application/json', body: JSON.stringify(encodeAnthropicMessage(TOOLS_RESPONSE, { id: 'msg_gh', model: 'claude-sonnet-4-5' })) };
    };
    const msg = await client.messages.create(params);
    expect(msg.stop_reason).toBe('tool_use');
    expect(msg.content.map((b) => (b.type === 'tool_use' ? [b.id, b.input] : b.type === 'text' ? b.text : b.type))).toEqual([
      'Checking both cities.',
      ['call_paris', { city: 'Paris' }],
      ['call_oslo', { city: 'Oslo' }],
    ]);
    expect(msg.usage).toMatchObject({
      input_tokens: 40,
      cache_read_input_tokens: 64,
      cache_creation_input_tokens: 16,
      output_tokens: 40,
    });
  });

  it('assembles a stream of text and two parallel tool calls with finalMessage()', async () => {
    reply = (body) => {
      expect(decodeAnthropicMessages(body).request.stream).toBe(true);
      return {
        contentType: 'text/event-stream',
        body: encodeAll(new AnthropicStreamEncoder({ id: 'msg_gh2', model: 'claude-sonnet-4-5' }), TOOLS_STREAM),
      };
    };
    const stream = client.messages.stream(params);
    const texts: string[] = [];
    stream.on('text', (t) => texts.push(t));
    const msg = await stream.finalMessage();
    expect(msg.id).toBe('msg_gh2');
    expect(texts.join('')).toBe('Checking.');
    expect(msg.stop_reason).toBe('tool_use');
    expect(msg.content.map((b) => (b.type === 'tool_use' ? [b.id, b.name, b.input] : b.type))).toEqual([
      'text',
      ['call_paris', 'weather', { city: 'Paris' }],
      ['call_oslo', 'weather', { city: 'Oslo' }],
    ]);
    expect(msg.usage).toMatchObject({ input_tokens: 56, cache_read_input_tokens: 64, output_tokens: 40 });
  });

  it('streams thinking with its signature and a stop sequence', async () => {
    const events: StreamEvent[] = [
      { type: 'usage', usage: { input_tokens: 21 } },
      { type: 'thinking_delta', index: 0, text: 'Simple sum.' },
      { type: 'thinking_delta', index: 0, text: '', signature: 'sig-9' },
      { type: 'block_stop', index: 0 },
      { type: 'text_delta', index: 1, text: '4' },
      { type: 'stop', stop_reason: 'stop_sequence', stop_sequence: '###' },
      { type: 'usage', usage: { output_tokens: 7 } },
    ];
    reply = () => ({
      contentType: 'text/event-stream',
      body: encodeAll(new AnthropicStreamEncoder({ id: 'msg_gh3', model: 'claude-sonnet-4-5' }), events),
    });
    const msg = await client.messages
      .stream({ ...params, thinking: { type: 'enabled', budget_tokens: 1024 }, stop_sequences: ['###'] })
      .finalMessage();
    expect(msg.content).toEqual([
      { type: 'thinking', thinking: 'Simple sum.', signature: 'sig-9' },
      { type: 'text', text: '4' },
    ]);
    expect(msg.stop_reason).toBe('stop_sequence');
    expect(msg.stop_sequence).toBe('###');
    expect(msg.usage).toMatchObject({ input_tokens: 21, output_tokens: 7 });
  });

  it('surfaces an in-stream error event as an error carrying its message', async () => {
    reply = () => {
      const enc = new AnthropicStreamEncoder({ id: 'msg_gh4', model: 'claude-sonnet-4-5' });
      const body = enc.push({ type: 'text_delta', index: 0, text: 'Par' }) + enc.error({ type: 'overloaded_error', message: 'all targets overloaded' });
      return { contentType: 'text/event-stream', body };
    };
    await expect(client.messages.stream(params).finalMessage()).rejects.toThrow('all targets overloaded');
  });

  it('exposes a rendered error with its status and Anthropic error type', async () => {
    const rendered = renderAnthropicError(
      new GatewayError(401, 'authentication_error', 'invalid x-api-key', { headers: { 'www-authenticate': 'Bearer' } }),
    );
    reply = () => ({ status: rendered.status, contentType: 'application/json', body: rendered.body });
    const err = await client.messages.create(params).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.AuthenticationError);
    const apiErr = err as InstanceType<typeof Anthropic.APIError>;
    expect(apiErr.status).toBe(401);
    expect(apiErr.error).toEqual({ type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } });
  });
});

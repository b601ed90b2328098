import { collect, readFixture, runStream } from '../shared/testing';
import { OpenAIConfigSchema } from './openai.config';
import { createOpenAIProvider } from './openai.provider';
import { parseResponsesResult, ResponsesStreamParser } from './responses';

describe('upstream Responses API (responses: native)', () => {
  it('is offered only when the provider is configured with responses: native, at <base>/responses', () => {
    expect(createOpenAIProvider(OpenAIConfigSchema.parse({ type: 'openai', api_key: 'sk-test-0000' })).responses).toBeUndefined();
    const p = createOpenAIProvider(OpenAIConfigSchema.parse({ type: 'openai', api_key: 'sk-test-0000', responses: 'native' }));
    const up = p.responses!.request({ model: 'alias', input: 'hi', unknown_field: { kept: true } }, 'gpt-4.1');
    expect(up.url).toBe('https://api.openai.com/v1/responses');
    expect(JSON.parse(up.body)).toEqual({ model: 'gpt-4.1', input: 'hi', unknown_field: { kept: true } });
    expect(() => OpenAIConfigSchema.parse({ type: 'openai', responses: 'yes' })).toThrow();
  });

  it('reads a response object: reasoning summary, function call, usage with cached and reasoning tokens', () => {
    const res = parseResponsesResult(readFixture('openai', 'responses-function-call.json'), 'gpt-4.1');
    expect(res.content).toEqual([
      { type: 'thinking', text: 'Need the weather tool.' },
      { type: 'tool_call', id: 'call_unLAR8MvFNptuiZK6K6HCy5k', name: 'get_current_weather', arguments: '{"location":"Boston, MA","unit":"celsius"}' },
    ]);
    expect(res.stop_reason).toBe('tool_use');
    expect(res.usage).toEqual({ input_tokens: 291, output_tokens: 23, cache_read_tokens: 128, cache_write_tokens: 0, reasoning_tokens: 8 });
    expect(parseResponsesResult('{"status":"incomplete","incomplete_details":{"reason":"max_output_tokens"},"output":[]}', 'm').stop_reason).toBe('max_tokens');
    expect(() => parseResponsesResult('{"object":"response"}', 'm')).toThrow('no output');
  });

  it('reads the typed stream events: text deltas of one block, usage and stop from response.completed', () => {
    const events = runStream(new ResponsesStreamParser('gpt-4.1'), readFixture('openai', 'responses-text.stream.sse'));
    expect(events[0]).toEqual({ type: 'start', id: 'resp_67c9fdcecf488190bdd9a0409de3a1ec07b8b0ad4e5eb654', model: 'gpt-4.1-2025-04-14' });
    expect(collect(events).get(0)).toBe('Hi there! 👋');
    expect(events.slice(-3)).toEqual([
      { type: 'block_stop', index: 0 },
      { type: 'usage', usage: { input_tokens: 37, output_tokens: 11, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0 } },
      { type: 'stop', stop_reason: 'end_turn' },
    ]);
  });

  it('turns response.failed, an error event or a cut-off stream into an error event', () => {
    const failed = runStream(new ResponsesStreamParser('m'), 'data: {"type":"response.failed","response":{"status":"failed","error":{"code":"server_error","message":"boom"}}}\n\n');
    expect(failed[failed.length - 1]).toEqual({ type: 'error', error: { type: 'server_error', message: 'boom' } });
    const cut = runStream(new ResponsesStreamParser('m'), 'data: {"type":"response.output_text.delta","output_index":0,"delta":"Hi"}\n\n');
    expect(cut[cut.length - 1]).toMatchObject({ type: 'error', error: { type: 'upstream_stream_error' } });
  });
});

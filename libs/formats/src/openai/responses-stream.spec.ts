import type { StreamEvent } from '../canonical';
import { encodeOpenAIResponse } from './responses-response';
import { OpenAIResponsesStreamEncoder } from './responses-stream';

const parse = (sse: string) =>
  sse.split('\n\n').filter(Boolean).map((frame) => {
    const [event, data] = frame.split('\n');
    const body = JSON.parse(data!.slice(6)) as { type: string; sequence_number: number } & Record<string, unknown>;
    expect(event).toBe(`event: ${body.type}`);
    return body;
  });

describe('OpenAIResponsesStreamEncoder', () => {
  const events: StreamEvent[] = [
    { type: 'start', id: 'up', model: 'm' },
    { type: 'thinking_delta', index: 0, text: 'hmm' },
    { type: 'block_stop', index: 0 },
    { type: 'text_delta', index: 1, text: 'Hel' },
    { type: 'text_delta', index: 1, text: 'lo' },
    { type: 'block_stop', index: 1 },
    { type: 'tool_call_start', index: 2, id: 'call_1', name: 'f' },
    { type: 'tool_call_delta', index: 2, arguments: '{"a"' },
    { type: 'tool_call_delta', index: 2, arguments: ':1}' },
    { type: 'usage', usage: { input_tokens: 7, output_tokens: 5, reasoning_tokens: 2 } },
    { type: 'stop', stop_reason: 'tool_use' },
  ];

  it('emits the typed event sequence with ordered sequence numbers and a completed response equal to the non-streamed one', () => {
    const enc = new OpenAIResponsesStreamEncoder({ id: 'resp_abc', model: 'gpt', createdAt: 1 });
    const out = parse(events.map((e) => enc.push(e)).join('') + enc.finish() + enc.finish());
    expect(out.map((e) => e.type)).toEqual([
      'response.created', 'response.in_progress',
      'response.output_item.added', 'response.reasoning_summary_part.added', 'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done', 'response.reasoning_summary_part.done', 'response.output_item.done',
      'response.output_item.added', 'response.content_part.added', 'response.output_text.delta', 'response.output_text.delta',
      'response.output_text.done', 'response.content_part.done', 'response.output_item.done',
      'response.output_item.added', 'response.function_call_arguments.delta', 'response.function_call_arguments.delta',
      'response.function_call_arguments.done', 'response.output_item.done',
      'response.completed',
    ]);
    expect(out.map((e) => e.sequence_number)).toEqual(out.map((_, i) => i));
    const completed = out.at(-1)!.response as Record<string, unknown>;
    const whole = encodeOpenAIResponse(
      { id: 'x', model: 'gpt', stop_reason: 'tool_use', usage: { input_tokens: 7, output_tokens: 5, reasoning_tokens: 2, cache_read_tokens: 0, cache_write_tokens: 0 }, content: [
        { type: 'thinking', text: 'hmm' }, { type: 'text', text: 'Hello' }, { type: 'tool_call', id: 'call_1', name: 'f', arguments: '{"a":1}' },
      ] },
      { id: 'resp_abc', model: 'gpt', createdAt: 1 },
    );
    expect(completed).toEqual(whole);
    expect(completed.usage).toEqual({ input_tokens: 7, input_tokens_details: { cached_tokens: 0 }, output_tokens: 5, output_tokens_details: { reasoning_tokens: 2 }, total_tokens: 12 });
  });

  it('ends a stream cut at max tokens with response.incomplete, and an error with the error event and nothing after', () => {
    const enc = new OpenAIResponsesStreamEncoder({ id: 'resp_1', model: 'gpt', createdAt: 1 });
    const cut = parse(enc.push({ type: 'text_delta', index: 0, text: 'a' }) + enc.push({ type: 'stop', stop_reason: 'max_tokens' }) + enc.finish());
    expect(cut.at(-1)).toMatchObject({ type: 'response.incomplete', response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } } });
    const failing = new OpenAIResponsesStreamEncoder({ id: 'resp_2', model: 'gpt', createdAt: 1 });
    const err = parse(failing.push({ type: 'text_delta', index: 0, text: 'a' }) + failing.error({ type: 'api_error', message: 'lost' }) + failing.finish());
    expect(err.at(-1)).toMatchObject({ type: 'error', code: 'api_error', message: 'lost' });
  });
});

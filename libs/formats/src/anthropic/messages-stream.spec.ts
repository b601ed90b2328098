import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StreamEvent } from '../canonical';
import { encodeAll, TOOLS_STREAM } from '../testing/samples';
import { AnthropicStreamEncoder } from './messages-stream';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');
const model = 'claude-sonnet-4-5';

describe('AnthropicStreamEncoder', () => {
  it('matches the recorded stream of text and two tool_use blocks with input_json_delta', () => {
    expect(encodeAll(new AnthropicStreamEncoder({ id: 'msg_gh2', model }), TOOLS_STREAM)).toBe(fixture('stream-tools.sse'));
  });

  it('matches the recorded thinking stream, closing blocks the upstream left open', () => {
    const events: StreamEvent[] = [
      { type: 'start', id: 'x', model: 'm' },
      { type: 'thinking_delta', index: 0, text: '2+2 is 4.' },
      { type: 'thinking_delta', index: 0, text: '', signature: 'EqQBCgIYAhIM' },
      { type: 'text_delta', index: 1, text: '4\nEND' },
      { type: 'stop', stop_reason: 'stop_sequence', stop_sequence: '###' },
      { type: 'usage', usage: { input_tokens: 21, output_tokens: 9 } },
    ];
    expect(encodeAll(new AnthropicStreamEncoder({ id: 'msg_gh3', model }), events)).toBe(fixture('stream-thinking.sse'));
  });

  it('numbers blocks from 0 whatever the canonical indices, and ends with message_stop without a start event', () => {
    const enc = new AnthropicStreamEncoder({ id: 'm', model });
    const out =
      enc.push({ type: 'tool_call_start', index: 5, id: 't', name: 'f' }) +
      enc.push({ type: 'tool_call_delta', index: 5, arguments: '{}' }) +
      enc.finish();
    const events = out.split('\n\n').filter(Boolean).map((e) => e.split('\n')[0]);
    expect(events).toEqual([
      'event: message_start',
      'event: content_block_start',
      'event: content_block_delta',
      'event: content_block_stop',
      'event: message_delta',
      'event: message_stop',
    ]);
    expect(out).toContain('"index":0,"content_block":{"type":"tool_use"');
    expect(out).toContain('"stop_reason":"end_turn"');
  });

  it('renders an error as event: error with an Anthropic type name and then stays silent', () => {
    const enc = new AnthropicStreamEncoder({ id: 'm', model });
    enc.push({ type: 'text_delta', index: 0, text: 'a' });
    const out = enc.push({ type: 'error', error: { type: 'timeout_error', message: 'upstream timed out' } });
    expect(out).toBe(
      'event: error\ndata: {"type":"error","error":{"type":"api_error","message":"upstream timed out"}}\n\n',
    );
    expect(enc.finish()).toBe('');
    expect(enc.error({ type: 'overloaded_error', message: 'x' })).toBe('');
  });
});

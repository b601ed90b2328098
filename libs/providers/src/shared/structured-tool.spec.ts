import type { CanonicalResponse, StreamEvent } from '@gatehouse/formats';
import type { StreamParser } from '../provider';
import { STRUCTURED_TOOL, StructuredStreamParser, structuredResponse } from './structured-tool';

const usage = { input_tokens: 1, output_tokens: 2, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0 };

describe('structured output through a forced tool (answer side)', () => {
  it('answers the structured tool call as text with stop reason end_turn, and leaves other calls alone', () => {
    const res: CanonicalResponse = { id: 'x', model: 'm', usage, stop_reason: 'tool_use', content: [{ type: 'tool_call', id: 't1', name: STRUCTURED_TOOL, arguments: '{"city":"Oslo"}' }] };
    expect(structuredResponse(res)).toEqual({ ...res, stop_reason: 'end_turn', content: [{ type: 'text', text: '{"city":"Oslo"}' }] });
    const other: CanonicalResponse = { ...res, content: [{ type: 'tool_call', id: 't1', name: 'lookup', arguments: '{}' }] };
    expect(structuredResponse(other)).toBe(other);
  });

  it('turns the streamed arguments into text deltas of the same block', () => {
    const script: StreamEvent[][] = [
      [{ type: 'start', id: 'a', model: 'm' }, { type: 'tool_call_start', index: 0, id: 't', name: STRUCTURED_TOOL }],
      [{ type: 'tool_call_delta', index: 0, arguments: '{"ci' }, { type: 'tool_call_delta', index: 0, arguments: 'ty":"Oslo"}' }],
      [{ type: 'block_stop', index: 0 }, { type: 'stop', stop_reason: 'tool_use' }],
    ];
    let n = 0;
    const inner: StreamParser = { push: () => script[n++] ?? [], end: () => [] };
    const parser = new StructuredStreamParser(inner);
    const out = [parser.push(new Uint8Array()), parser.push(new Uint8Array()), parser.push(new Uint8Array()), parser.end()].flat();
    expect(out).toEqual([
      { type: 'start', id: 'a', model: 'm' },
      { type: 'text_delta', index: 0, text: '{"ci' },
      { type: 'text_delta', index: 0, text: 'ty":"Oslo"}' },
      { type: 'block_stop', index: 0 },
      { type: 'stop', stop_reason: 'end_turn' },
    ]);
  });
});

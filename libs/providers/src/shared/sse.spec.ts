import { SseDecoder } from './sse';

const bytes = (s: string) => Buffer.from(s, 'utf8');

describe('SseDecoder', () => {
  it('completes events split across chunks, including a multi-byte character', () => {
    const d = new SseDecoder();
    const all = bytes('data: {"t":"é"}\n\ndata: [DONE]\n\n');
    const split = all.indexOf(0xa9);
    expect(d.push(all.subarray(0, split))).toEqual([]);
    expect(d.push(all.subarray(split)).map((m) => m.data)).toEqual(['{"t":"é"}', '[DONE]']);
  });

  it('delivers a final event the server did not terminate with a blank line', () => {
    const d = new SseDecoder();
    expect(d.push(bytes('data: {"a":1}\r\n\r\ndata: [DONE]'))).toHaveLength(1);
    expect(d.end().map((m) => m.data)).toEqual(['[DONE]']);
  });
});

describe('SseDecoder end', () => {
  it('adds no event when the body ended cleanly', () => {
    const d = new SseDecoder();
    expect(d.push(bytes('data: x\n\n'))).toHaveLength(1);
    expect(d.end()).toEqual([]);
  });
});

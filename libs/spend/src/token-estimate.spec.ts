import type { CanonicalRequest } from '@gatehouse/formats';
import { countInputTokens, countTokens, inputTexts } from '@gatehouse/providers';
import { TokenCountCache } from './token-count-cache';
import { estimateInputTokens, tokensUsed } from './token-estimate';

describe('tokensUsed', () => {
  const reserved = { input: 50, output: 200 };
  const usage = (input_tokens: number, output_tokens: number) => ({ input_tokens, output_tokens });

  it('a complete response: its reported usage, else the reservation', () => {
    expect(tokensUsed({ usage: usage(30, 470), complete: true, outputChars: 12 }, reserved)).toBe(500);
    expect(tokensUsed({ usage: null, complete: true, outputChars: 0 }, reserved)).toBe(250);
  });

  it('ended early: reported input, and the larger of reported output and the output passed on (4 characters a token)', () => {
    expect(tokensUsed({ usage: usage(40, 1), complete: false, outputChars: 401 }, reserved)).toBe(40 + 101);
    expect(tokensUsed({ usage: usage(40, 300), complete: false, outputChars: 400 }, reserved)).toBe(340);
  });

  it('ended early without usage: the input estimate plus the output passed on; nothing when nothing came back', () => {
    expect(tokensUsed({ usage: null, complete: false, outputChars: 400 }, reserved)).toBe(150);
    expect(tokensUsed({ usage: null, complete: false, outputChars: 0 }, reserved)).toBe(0);
  });
});

describe('estimateInputTokens: the tpm reservation', () => {
  const paragraph = (i: number) => `Paragraph ${i}: the export job runs nightly; customers asked for the region column and a weekly summary of failed rows. `.repeat(4);
  const conversation = (turns: number): CanonicalRequest => ({
    model: 'm',
    stream: false,
    system: [{ type: 'text', text: `You are a support assistant for Gatehouse. ${paragraph(0)}` }],
    messages: Array.from({ length: turns }, (_, i) => ({ role: i % 2 === 0 ? ('user' as const) : ('assistant' as const), content: [{ type: 'text' as const, text: paragraph(i + 1) }] })),
    tools: [{ name: 'lookup_order', description: 'Looks an order up by id', parameters: { type: 'object', properties: { id: { type: 'string' } } } }],
  });

  it('is within a few tokens of counting the whole input at once', () => {
    for (const turns of [1, 4, 12]) {
      const req = conversation(turns);
      const exact = countInputTokens(req);
      expect(Math.abs(estimateInputTokens(req, new TokenCountCache(countTokens, { maxChars: 100_000, maxTexts: 1_000 })) - exact)).toBeLessThanOrEqual(inputTexts(req).length);
      expect(exact).toBeGreaterThan(100 * turns);
    }
  });

  it('a conversation that grows by one message per request: only the new message is tokenized', () => {
    const cache = new TokenCountCache(countTokens, { maxChars: 100_000, maxTexts: 1_000 });
    const first = estimateInputTokens(conversation(10), cache);
    // the system prompt, the 10 messages and the tool definition
    expect(cache.misses).toBe(12);
    const next = estimateInputTokens(conversation(11), cache);
    expect(cache.misses).toBe(13);
    expect(cache.hits).toBe(12);
    expect(next - first).toBe(countTokens(paragraph(11)) + 1);
  });
});

describe('TokenCountCache', () => {
  const count = jest.fn((t: string) => t.length);
  const long = (c: string) => c.repeat(300);

  it('keeps the last texts within its characters, dropping the least recently used', () => {
    const cache = new TokenCountCache(count, { maxChars: 700, maxTexts: 10 });
    for (const c of ['a', 'b']) cache.tokens(long(c));
    cache.tokens(long('a'));
    cache.tokens(long('c'));
    count.mockClear();
    expect(cache.tokens(long('a')) + cache.tokens(long('c'))).toBe(600);
    expect(count).not.toHaveBeenCalled();
    cache.tokens(long('b'));
    expect(count).toHaveBeenCalledTimes(1);
  });

  it('keeps short texts too, and counts a text longer than its bound every time', () => {
    const cache = new TokenCountCache(count, { maxChars: 700, maxTexts: 10 });
    count.mockClear();
    for (let i = 0; i < 2; i++) {
      expect(cache.tokens('short text')).toBe(10);
      expect(cache.tokens('x'.repeat(800))).toBe(800);
    }
    expect(count.mock.calls.map(([t]) => t.length)).toEqual([10, 800, 800]);
  });

  it('keeps at most maxTexts texts, however short', () => {
    const cache = new TokenCountCache(count, { maxChars: 700, maxTexts: 10 });
    for (let i = 0; i < 11; i++) cache.tokens(`t${i}`);
    count.mockClear();
    cache.tokens('t10');
    expect(count).not.toHaveBeenCalled();
    cache.tokens('t0');
    expect(count).toHaveBeenCalledTimes(1);
  });

  it('counts the empty text as 0 tokens without the tokenizer', () => {
    const cache = new TokenCountCache(count, { maxChars: 700, maxTexts: 10 });
    count.mockClear();
    expect(cache.tokens('')).toBe(0);
    expect(count).not.toHaveBeenCalled();
  });
});

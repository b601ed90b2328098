import { encode } from 'gpt-tokenizer';
import { CheckSchema } from '@gatehouse/contracts';
import { score, type Labelled } from '../labelled.testing';
import { createMaxTokensCheck } from './max-tokens.check';

const MAX = 20;
const check = createMaxTokensCheck(CheckSchema.parse({ type: 'max_tokens', max: MAX }) as never);
const run = (texts: string[], maxTokens?: number, stage: 'input' | 'output' = 'input') =>
  check.evaluate({ stage, texts }, { requestId: 'r', team: 't', keyId: 'k', model: 'm', maxTokens }) as unknown as { pass: boolean; details: string[] };

const words = (n: number): string => Array.from({ length: n }, (_, i) => ['alpha', 'beta', 'gamma', 'delta'][i % 4]).join(' ');
const emoji = (n: number): string => '🦄'.repeat(n);

/** Rows are built so that their token count (checked below with encode) is on a known side of MAX. */
const TEXTS = [
  '', 'hi', words(5), words(10), words(15), words(19), words(20), words(21), words(25), words(40), words(200),
  emoji(1), emoji(3), emoji(6), emoji(8), emoji(12), emoji(30),
  'x'.repeat(19), 'x'.repeat(60), 'x'.repeat(200), 'x'.repeat(2000),
  '1234567890'.repeat(2), '1234567890'.repeat(10), '1234567890'.repeat(40),
  'Ünïcödé text', 'Ünïcödé '.repeat(20), 'a b c d e f g h i j', 'a b c d e f g h i j k l m n o p q r s t u v w x y z',
  'The quick brown fox jumps over the lazy dog.', 'The quick brown fox jumps over the lazy dog. '.repeat(3),
];
const TABLE: Labelled[] = TEXTS.map((text) => ({ text, label: encode(text).length > MAX ? 'input_tokens' : null }));

describe('max_tokens check: labelled table', () => {
  it('counts input tokens like gpt-tokenizer encode (≥ 30 rows on both sides of max)', () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(30);
    expect(TABLE.filter((r) => r.label).length).toBeGreaterThanOrEqual(10);
    expect(TABLE.filter((r) => !r.label).length).toBeGreaterThanOrEqual(10);
    const s = score('max_tokens', TABLE, (t) => run([t]).details);
    expect(s.precision).toBe(1);
    expect(s.recall).toBe(1);
  });

  it('adds the texts of all messages together', () => {
    expect(run([words(12)]).pass).toBe(true);
    expect(run([words(12), words(12)]).details).toEqual(['input_tokens']);
  });

  it('fails when the client requests more than max completion tokens', () => {
    expect(run(['hi'], MAX).pass).toBe(true);
    expect(run(['hi'], MAX + 1).details).toEqual(['requested_max_tokens']);
  });

  it('counts output tokens on the output stage', () => {
    expect(run([words(40)], undefined, 'output').details).toEqual(['output_tokens']);
  });
});

import { formatReset, rateLimitHeaders } from './rate-limit-headers';

const scope = (rpm: number, tpm: number) => ({ scope: 's', rpm, tpm, budgetUsd: 0, budgetCounter: '', budgetExpireAt: 0 });
const state = (requests: number, tokens: number, oldestMs: number | null) => ({ requests, tokens, oldestMs, spentUsd: 0, seeded: true });

describe('x-ratelimit-* headers', () => {
  it('report the tightest scope per kind: requests from the team, tokens from the key', () => {
    const h = rateLimitHeaders([scope(100, 1000), scope(10, 0)], [state(5, 900, 1_000), state(8, 900, 30_000)], 40_000);
    expect(h).toEqual({
      'x-ratelimit-limit-requests': '10',
      'x-ratelimit-remaining-requests': '2',
      'x-ratelimit-reset-requests': '50s',
      'x-ratelimit-limit-tokens': '1000',
      'x-ratelimit-remaining-tokens': '100',
      'x-ratelimit-reset-tokens': '21s',
    });
  });

  it("do not count the unused part of this replica's lease as used", () => {
    const h = rateLimitHeaders([scope(100, 1000)], [state(40, 900, 1_000)], 40_000, { requests: 30, tokens: 600 });
    expect(h).toMatchObject({ 'x-ratelimit-remaining-requests': '90', 'x-ratelimit-remaining-tokens': '700' });
  });

  it('are absent without rpm and tpm, and formats durations like OpenAI', () => {
    expect(rateLimitHeaders([scope(0, 0)], [state(0, 0, null)], 0)).toBeNull();
    expect(formatReset(250.2)).toBe('251ms');
    expect(formatReset(1540)).toBe('1.5s');
    expect(formatReset(-5)).toBe('0s');
  });
});

import pino from 'pino';
import { GatewayError } from '@gatehouse/contracts';
import type { SpendCounters } from './counters.port';
import { Limiter, type BudgetCrossing, type LimitedKey, type OnCountersError } from './limiter';
import { MemoryCounters } from './memory/memory-counters';
import type { LimitSubject } from './scopes';
import type { SpendSource } from './spend-source';
import { NO_TOKENS, type RequestOutcome } from './token-estimate';

const logger = pino({ level: 'silent' });
/** A complete response that reported `tokens` (all output). */
const done = (tokens: number): RequestOutcome => ({ usage: { input_tokens: 0, output_tokens: tokens }, complete: true, outputChars: 0 });
const NOW = Date.parse('2026-11-30T12:00:00Z');
const key = (over: Partial<LimitedKey> = {}): LimitedKey => ({ id: 'k1', name: 'dev', team: 'red', rpm: null, tpm: null, budget_usd: null, budget_period: 'month', ...over });

function limiter(counters: SpendCounters, opts: { teams?: Record<string, LimitSubject>; source?: SpendSource | null; onError?: OnCountersError; clock?: () => number; onBudgetCrossed?: (c: BudgetCrossing) => void } = {}) {
  return new Limiter(counters, (n) => opts.teams?.[n], opts.source ?? null, { onError: opts.onError ?? 'fail_open', clock: opts.clock ?? (() => NOW), logger, onBudgetCrossed: opts.onBudgetCrossed });
}

const broken: SpendCounters = {
  admit: () => Promise.reject(new Error('ECONNREFUSED')),
  settle: () => Promise.reject(new Error('ECONNREFUSED')),
  seed: () => Promise.reject(new Error('ECONNREFUSED')),
  peek: () => Promise.reject(new Error('ECONNREFUSED')),
  connected: () => false,
};

describe('Limiter', () => {
  it('costs nothing for a key and team without limits (no promise at all)', () => {
    expect(limiter(new MemoryCounters()).admit('r', key(), () => NO_TOKENS)).toBeNull();
  });

  it('estimates tokens only when a scope has tpm', async () => {
    const estimate = jest.fn(() => ({ input: 30, output: 12 }));
    const l = limiter(new MemoryCounters());
    await l.admit('r1', key({ rpm: 5 }), estimate);
    expect(estimate).not.toHaveBeenCalled();
    const a = await l.admit('r2', key({ id: 'k2', tpm: 100 }), estimate);
    expect(estimate).toHaveBeenCalledTimes(1);
    expect(a).toMatchObject({ tokens: 42, headers: { 'x-ratelimit-remaining-tokens': '58' } });
  });

  it('rejects with the team named when the team limit is the one reached', async () => {
    const l = limiter(new MemoryCounters(), { teams: { red: { rpm: 1, tpm: null, budget_usd: null, budget_period: 'month' } } });
    await l.admit('r1', key(), () => NO_TOKENS);
    const e = await Promise.resolve(l.admit('r2', key({ id: 'k2', name: 'other' }), () => NO_TOKENS)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(GatewayError);
    expect(e).toMatchObject({ status: 429, type: 'rate_limit_exceeded', message: expect.stringContaining('team "red"') });
  });

  it('seeds a missing budget counter once from the spend source, shared by concurrent requests', async () => {
    const source = { spentSince: jest.fn(async () => 0.02) };
    const l = limiter(new MemoryCounters(), { source });
    const k = key({ budget_usd: 0.01, budget_period: 'day' });
    const results = await Promise.all([1, 2, 3].map((i) => Promise.resolve(l.admit(`r${i}`, k, () => NO_TOKENS)).catch((e: GatewayError) => e)));
    expect(source.spentSince).toHaveBeenCalledTimes(1);
    expect(source.spentSince).toHaveBeenCalledWith('key', 'k1', Date.parse('2026-11-30T00:00:00Z'));
    for (const r of results) expect(r).toMatchObject({ status: 429, type: 'budget_exceeded', message: expect.stringContaining('2026-12-01T00:00:00.000Z') });
  });

  it('while the spend source fails: fail_open serves without that budget, fail_closed answers 503', async () => {
    const source = { spentSince: jest.fn(async () => Promise.reject(new Error('analytics down'))) };
    const k = key({ rpm: 10, budget_usd: 0.01, budget_period: 'day' });
    const open = await limiter(new MemoryCounters(), { source }).admit('r1', k, () => NO_TOKENS);
    expect(open).toMatchObject({ headers: { 'x-ratelimit-limit-requests': '10' } });
    const closed = await Promise.resolve(limiter(new MemoryCounters(), { source, onError: 'fail_closed' }).admit('r2', k, () => NO_TOKENS)).catch((e: unknown) => e);
    expect(closed).toMatchObject({ status: 503, code: 'limits_unavailable' });
  });

  it('tells each budget that a settled cost took across 80 % and 100 %, once per crossing', async () => {
    const crossings: BudgetCrossing[] = [];
    const l = limiter(new MemoryCounters(), { teams: { red: { rpm: null, tpm: null, budget_usd: 10, budget_period: 'day' } }, onBudgetCrossed: (c) => void crossings.push(c) });
    const k = key({ budget_usd: 1, budget_period: 'month' });
    const settle = async (cost: number) => {
      l.settle((await l.admit(`r${cost}`, k, () => NO_TOKENS))!, done(1), cost);
      await new Promise((r) => setTimeout(r, 20));
    };
    await settle(0.5);
    expect(crossings).toEqual([]);
    await settle(0.35);
    expect(crossings).toEqual([{ kind: 'key', id: 'k1', team: 'red', thresholdPct: 80, budgetUsd: 1, spentUsd: 0.85, period: 'month', periodStart: Date.parse('2026-11-01T00:00:00Z') }]);
    await settle(0.1);
    expect(crossings).toHaveLength(1);
    await settle(0.06);
    expect(crossings.map((c) => [c.kind, c.thresholdPct])).toEqual([['key', 80], ['key', 100]]);
  });

  it('while the counters fail: fail_open admits without limits, fail_closed answers 503', async () => {
    expect(await limiter(broken).admit('r', key({ rpm: 1 }), () => NO_TOKENS)).toBeNull();
    await expect(Promise.resolve(limiter(broken, { onError: 'fail_closed' }).admit('r', key({ rpm: 1 }), () => NO_TOKENS))).rejects.toMatchObject({ status: 503 });
    expect(() => limiter(broken).settle({ id: 'r', at: NOW, tokens: 1, scopes: [{ scope: 'k:k1', rpm: 0, tpm: 5, budgetUsd: 0, budgetCounter: '', budgetExpireAt: 0 }], headers: null, meta: [], team: 'red', estimate: { input: 1, output: 0 }, sig: '', leased: false }, done(3), 0)).not.toThrow();
  });

  it('settles the real tokens (the estimate when a successful call reported none; 0 when it failed without usage)', async () => {
    const counters = new MemoryCounters();
    const l = limiter(counters);
    const k = key({ tpm: 1000 });
    const a1 = (await l.admit('r1', k, () => ({ input: 60, output: 40 })))!;
    l.settle(a1, done(300), null);
    const a2 = (await l.admit('r2', k, () => ({ input: 60, output: 40 })))!;
    l.settle(a2, { usage: null, complete: true, outputChars: 0 }, null);
    const a3 = (await l.admit('r3', k, () => ({ input: 60, output: 40 })))!;
    l.settle(a3, { usage: null, complete: false, outputChars: 0 }, null);
    // A stream cut after 400 characters of output without usage: the input estimate + 100 tokens.
    const a4 = (await l.admit('r4', k, () => ({ input: 60, output: 40 })))!;
    l.settle(a4, { usage: null, complete: false, outputChars: 400 }, null);
    await new Promise((r) => setImmediate(r));
    expect((await l.usage('key', 'k1', 'dev', k)).window).toMatchObject({ requests: 4, tokens: 560, remaining_tokens: 440 });
  });

  it('follows a replaced team record and a new budget period for the same key record', async () => {
    let now = Date.parse('2026-11-30T23:59:59Z');
    const teams: Record<string, LimitSubject> = { red: { rpm: 1, tpm: null, budget_usd: null, budget_period: 'month' } };
    const l = limiter(new MemoryCounters(), { teams, clock: () => now });
    const k = key({ budget_usd: 5, budget_period: 'day' });
    expect((await l.admit('r1', k, () => NO_TOKENS))!.meta.map((m) => m.period?.id ?? null)).toEqual(['d20261130', null]);
    await expect(Promise.resolve(l.admit('r2', k, () => NO_TOKENS))).rejects.toMatchObject({ status: 429 });
    teams.red = { rpm: 10, tpm: null, budget_usd: null, budget_period: 'month' };
    const a3 = (await l.admit('r3', k, () => NO_TOKENS))!;
    expect(a3.headers).toMatchObject({ 'x-ratelimit-limit-requests': '10', 'x-ratelimit-remaining-requests': '8' });
    now = Date.parse('2026-12-01T00:00:01Z');
    const a4 = (await l.admit('r4', k, () => NO_TOKENS))!;
    expect(a4.meta[0].period?.id).toBe('d20261201');
    expect(a4.scopes[0].budgetCounter).toBe('k:k1:d20261201');
  });
});

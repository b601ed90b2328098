import pino from 'pino';
import { GatewayError } from '@gatehouse/contracts';
import type { AdmitRequest, SettleRequest } from './counters.port';
import { Limiter, type LimitedKey } from './limiter';
import { MemoryCounters } from './memory/memory-counters';
import { NO_TOKENS, type RequestOutcome } from './token-estimate';

const logger = pino({ level: 'silent' });
/** 12:00:00.900 UTC: each test's leases end (and are given back) 100 ms after it starts. */
const SECOND = Date.parse('2026-11-30T12:00:00Z');
const key = (over: Partial<LimitedKey> = {}): LimitedKey => ({ id: 'k1', name: 'dev', team: 'red', rpm: null, tpm: null, budget_usd: null, budget_period: 'month', ...over });
const done = (tokens: number): RequestOutcome => ({ usage: { input_tokens: 0, output_tokens: tokens }, complete: true, outputChars: 0 });
const turn = () => new Promise((r) => setImmediate(r));

/** Memory counters that count the calls a replica makes (each would be a Redis call). */
class CountingCounters extends MemoryCounters {
  admits = 0;
  settles = 0;
  returned = 0;
  override admit(req: AdmitRequest) {
    this.admits++;
    return super.admit(req);
  }
  override settle(req: SettleRequest) {
    this.settles++;
    this.returned += req.returnedRequests ?? 0;
    return super.settle(req);
  }
}

function replica(counters: MemoryCounters, now: { ms: number }) {
  return new Limiter(counters, () => undefined, null, { onError: 'fail_open', clock: () => now.ms, logger, leases: true });
}

async function admitted(l: Limiter, k: LimitedKey, id: string): Promise<boolean> {
  try {
    return (await l.admit(id, k, () => NO_TOKENS)) !== null;
  } catch (e) {
    if (e instanceof GatewayError && e.status === 429) return false;
    throw e;
  }
}

describe('Limiter with quota leases', () => {
  it('admits most requests of a busy second without a counters call, with the same headers as without leases', async () => {
    const counters = new CountingCounters();
    const now = { ms: SECOND + 900 };
    const l = replica(counters, now);
    const k = key({ rpm: 10_000 });
    const remaining: string[] = [];
    let answeredAtOnce = 0;
    for (let i = 0; i < 300; i++) {
      const pending = l.admit(`r${i}`, k, () => NO_TOKENS);
      // admitted from a lease: the admission itself, nothing for the request to wait for
      if (!(pending instanceof Promise)) answeredAtOnce++;
      const a = await pending;
      remaining.push(a!.headers!['x-ratelimit-remaining-requests']);
    }
    expect(remaining).toEqual(Array.from({ length: 300 }, (_, i) => String(9_999 - i)));
    // a call per request until 8 in the second, then leases of up to 1 % of rpm: about one call per 100 requests
    expect(counters.admits).toBeLessThanOrEqual(14);
    expect(answeredAtOnce).toBe(300 - counters.admits);
  });

  it('gives back what a second did not use; a lease never admits in a later second', async () => {
    const counters = new CountingCounters();
    const now = { ms: SECOND + 900 };
    const l = replica(counters, now);
    const k = key({ rpm: 10_000, tpm: 1_000_000 });
    for (let i = 0; i < 12; i++) await l.admit(`r${i}`, k, () => ({ input: 40, output: 10 }));
    const calls = counters.admits;
    now.ms = SECOND + 1990;
    await l.admit('next', k, () => ({ input: 40, output: 10 }));
    expect(counters.admits).toBe(calls + 1);
    await new Promise((r) => setTimeout(r, 150));
    expect(counters.returned).toBeGreaterThan(0);
    // the counters count exactly the 13 requests admitted, and their tokens
    expect((await l.usage('key', 'k1', 'dev', k)).window).toMatchObject({ requests: 13, tokens: 650 });
  });

  it('two replicas taking turns against rpm 200: never more than 200, at most a lease short, exact counts once the second ends', async () => {
    const counters = new CountingCounters();
    const now = { ms: SECOND + 900 };
    const [a, b] = [replica(counters, now), replica(counters, now)];
    const k = key({ rpm: 200 });
    let ok = 0;
    // replica a gets three requests for each of b's
    for (let i = 0; i < 600; i++) if (await admitted(i % 4 === 3 ? b : a, k, `r${i}`)) ok++;
    expect(ok).toBeLessThanOrEqual(200);
    expect(ok).toBeGreaterThanOrEqual(200 - 2);
    expect(counters.admits).toBeLessThan(600);
    await new Promise((r) => setTimeout(r, 150));
    expect((await a.usage('key', 'k1', 'dev', k)).window).toMatchObject({ requests: ok });
  });

  it('a budget leases only once a cost is known, at most half its rest at the highest cost: no overshoot', async () => {
    const counters = new CountingCounters();
    await counters.seed('k:k1:total', 0, 0, 10);
    const now = { ms: SECOND + 900 };
    const l = replica(counters, now);
    const k = key({ rpm: 100_000, budget_usd: 10, budget_period: 'total' });
    let ok = 0;
    for (let i = 0; i < 120; i++) {
      const a = await Promise.resolve(l.admit(`r${i}`, k, () => NO_TOKENS)).catch((e: GatewayError) => e);
      if (a instanceof GatewayError) {
        expect(a).toMatchObject({ status: 429, type: 'budget_exceeded' });
        continue;
      }
      ok++;
      l.settle(a, done(10), 0.125);
      await turn();
    }
    expect(ok).toBe(80);
    expect((await l.usage('key', 'k1', 'dev', k)).budget).toMatchObject({ spent_usd: 10, exhausted: true });
    // leases carried some of the 80 (every rejection asked the counters)
    expect(counters.admits).toBeLessThan(120);
  });

  it('settles leased requests summed per second, and close() sends what is pending and gives the leases back', async () => {
    const k = key({ rpm: 100_000, tpm: 10_000_000 });
    const run = async (l: Limiter) => {
      for (let i = 0; i < 40; i++) l.settle((await l.admit(`r${i}`, k, () => ({ input: 40, output: 10 })))!, done(80), null);
    };
    const counters = new CountingCounters();
    const now = { ms: SECOND + 900 };
    const l = replica(counters, now);
    await run(l);
    await new Promise((r) => setTimeout(r, 150));
    expect((await l.usage('key', 'k1', 'dev', k)).window).toMatchObject({ requests: 40, tokens: 3200 });
    // a call per request only until leases start; the rest summed into a few
    expect(counters.settles).toBeLessThan(20);

    const other = new CountingCounters();
    const m = replica(other, { ms: SECOND + 100 });
    await run(m);
    await m.close();
    expect((await m.usage('key', 'k1', 'dev', k)).window).toMatchObject({ requests: 40, tokens: 3200 });
  });

  it('a counters call that failed while asking for a lease does not keep the replica from leasing later', async () => {
    const counters = new CountingCounters();
    const now = { ms: SECOND + 900 };
    const l = replica(counters, now);
    const k = key({ rpm: 100_000 });
    for (let i = 0; i < 7; i++) await l.admit(`r${i}`, k, () => NO_TOKENS);
    const admit = counters.admit.bind(counters);
    counters.admit = () => Promise.reject(new Error('ECONNRESET'));
    // the 8th of the second asks for a lease; the call fails, fail_open serves it without limits
    expect(await l.admit('lost', k, () => NO_TOKENS)).toBeNull();
    counters.admit = admit;
    const before = counters.admits;
    for (let i = 0; i < 50; i++) await l.admit(`s${i}`, k, () => NO_TOKENS);
    expect(counters.admits - before).toBeLessThanOrEqual(3);
  });

  it('limits under 100 per minute never lease, nor a key used less than 8 times a second', async () => {
    const counters = new CountingCounters();
    const now = { ms: SECOND + 900 };
    const l = replica(counters, now);
    for (let i = 0; i < 20; i++) await admitted(l, key({ rpm: 99 }), `r${i}`);
    expect(counters.admits).toBe(20);
    for (let i = 0; i < 7; i++) {
      now.ms = SECOND + 10_000 + i * 140;
      await admitted(l, key({ id: 'k2', rpm: 100_000 }), `s${i}`);
    }
    expect(counters.admits).toBe(27);
  });
});

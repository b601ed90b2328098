import type { IncomingMessage } from 'node:http';
import type { KeyRecord } from '@gatehouse/contracts/key';
import { GatewayError } from '@gatehouse/contracts/gateway-error';
import type { CanonicalRequest } from '@gatehouse/formats/canonical';
import type { ResponseCache } from '@gatehouse/cache/response-cache.port';
import { ChatCache } from './chat-cache';
import { RequestContext } from './request-context';

const req = (headers: Record<string, string | string[]>) => ({ headers }) as unknown as IncomingMessage;
const key = (cache: KeyRecord['cache']) => ({ team: 'search', cache }) as KeyRecord;
const request: CanonicalRequest = { model: 'm', system: [], messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], stream: false };
const config = { default_ttl_s: 300, max_entry_bytes: 200, lookup_timeout_ms: 25, memory_max_bytes: 1 << 20, key_index_max_keys: 0 };

function setup() {
  const sets: Array<{ key: string; value: string; ttl: number }> = [];
  const store: ResponseCache = { kind: 'memory', get: async () => null, set: (k, v, ttl) => void sets.push({ key: k, value: v, ttl }), close: async () => undefined };
  return { cache: new ChatCache(store, config), sets };
}
const ctxOf = (headers: Record<string, string | string[]> = {}) => new RequestContext('openai', 'chat', req(headers));

describe('ChatCache.plan', () => {
  it.each<[string, Record<string, string | string[]>, KeyRecord['cache'], number | null]>([
    ['no header, key opted in', {}, { ttl_s: 60 }, 60],
    ['no header, key not opted in', {}, null, null],
    ['true, key opted in', { 'x-gatehouse-cache': 'true' }, { ttl_s: 60 }, 60],
    ['TRUE (any case), key not opted in', { 'x-gatehouse-cache': ' TRUE ' }, null, 300],
    ['false, key opted in', { 'x-gatehouse-cache': 'false' }, { ttl_s: 60 }, null],
  ])('%s', (_, headers, cache, ttl) => {
    const { cache: c } = setup();
    const ctx = ctxOf(headers);
    const plan = c.plan(req(headers), key(cache), request, 'openai', false);
    c.guarded(ctx, plan, false, 'search', 'openai', false, request);
    expect(plan?.ttlS ?? null).toBe(ttl);
    expect(ctx.cacheStatus).toBe(ttl === null ? 'BYPASS' : 'MISS');
  });

  it('rejects any other header value with a 400 naming the header', () => {
    const { cache: c } = setup();
    const headers = { 'x-gatehouse-cache': 'yes' };
    let err: unknown;
    try {
      c.plan(req(headers), key(null), request, 'openai', false);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ status: 400, param: 'x-gatehouse-cache' });
  });
});

describe('ChatCache lookup', () => {
  it('asks the store once asked to (before limits and guardrails), not when planned; a request the guardrails rewrote is looked up again under its new key', async () => {
    const asked: string[] = [];
    const store: ResponseCache = { kind: 'memory', get: async (k) => {
      asked.push(k);
      return null;
    }, set: () => undefined, close: async () => undefined };
    const c = new ChatCache(store, config);
    const plan = c.plan(req({}), key({ ttl_s: 60 }), structuredClone(request), 'openai', false)!;
    expect(asked).toEqual([]);
    c.ask(plan);
    expect(asked).toEqual([plan.key]);
    c.guarded(ctxOf(), plan, false, 'search', 'openai', false, request);
    expect(await c.lookup(plan)).toBeNull();
    expect(asked).toHaveLength(1);
    const redacted: CanonicalRequest = { ...request, messages: [{ role: 'user', content: [{ type: 'text', text: '<REDACTED>' }] }] };
    const first = plan.key;
    c.guarded(ctxOf(), plan, true, 'search', 'openai', false, redacted);
    await c.lookup(plan);
    expect(asked).toHaveLength(2);
    expect(asked[1]).toBe(plan.key);
    expect(plan.key).not.toBe(first);
  });
});

describe('ChatCache.storeAfter', () => {
  const planned = (c: ChatCache, ctx: RequestContext) => {
    const plan = c.plan(req({}), key({ ttl_s: 60 }), request, 'openai', false)!;
    c.guarded(ctx, plan, false, 'search', 'openai', false, request);
    return plan;
  };

  it('stores a complete 200 answer with the ttl, the original cost and the body bytes', () => {
    const { cache: c, sets } = setup();
    const ctx = ctxOf();
    const plan = planned(c, ctx);
    plan.capture.complete('{"ok":true}');
    c.storeAfter(ctx, plan, 0.25, false);
    expect(sets).toHaveLength(1);
    expect(sets[0].ttl).toBe(60);
    expect(sets[0].value.endsWith('\n{"ok":true}')).toBe(true);
    expect(sets[0].value).toContain('"cost_usd":0.25');
  });

  it.each<[string, (ctx: RequestContext, plan: ReturnType<typeof planned>) => boolean]>([
    ['an incomplete answer (stream cut off)', (_, plan) => (plan.capture.push('data: x\n\n'), false)],
    ['a client that went away', (_, plan) => (plan.capture.complete('{}'), true)],
    ['an error status', (ctx, plan) => ((ctx.status = 502), plan.capture.complete('{}'), false)],
    ['an error event in a stream', (ctx, plan) => ((ctx.errorType = 'overloaded_error'), plan.capture.complete('{}'), false)],
    ['an answer the output guardrails redacted', (ctx, plan) => ((ctx.guardrails.redacted = 1), plan.capture.complete('{}'), false)],
    ['an answer over max_entry_bytes', (_, plan) => (plan.capture.complete('x'.repeat(300)), false)],
  ])('never stores %s', (_, arrange) => {
    const { cache: c, sets } = setup();
    const ctx = ctxOf();
    const plan = planned(c, ctx);
    const gone = arrange(ctx, plan);
    c.storeAfter(ctx, plan, 0.25, gone);
    expect(sets).toHaveLength(0);
  });
});

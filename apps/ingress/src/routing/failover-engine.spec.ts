import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { GatehouseConfigSchema, type Target } from '@gatehouse/config';
import { GatewayError } from '@gatehouse/contracts';
import type { HttpProvider, LocalProvider, UpstreamRequest } from '@gatehouse/providers';
import { TargetBoard } from '@gatehouse/routing';
import { RequestContext } from '../pipeline/request-context';
import type { UpstreamClient, UpstreamResponse } from '../upstream/upstream-client';
import type { AttemptFailure } from './attempt-outcome';
import { FailoverEngine, type EndpointSteps, type EngineJob } from './failover-engine';
import { buildRouteTable, type RouteTable } from './route-table';
import type { UpstreamAttempt } from './upstream-attempt';

/** What the fake upstream does for one request to a provider. */
type Reply = { status: number; body?: string; headers?: Record<string, string> } | { error: string } | { hang: true };

/** An UpstreamClient double: per provider base URL, a queue of replies (the last one repeats); records every send. */
class FakeUpstream {
  readonly sent: string[] = [];
  readonly destroyed: number[] = [];
  private readonly replies = new Map<string, Reply[]>();

  on(provider: string, ...replies: Reply[]): this {
    this.replies.set(provider, replies);
    return this;
  }

  agentFor() {
    return {};
  }

  async send(_agent: unknown, req: UpstreamRequest, opts: { signal: { once(e: string, f: () => void): void }; headersTimeoutMs: number }): Promise<UpstreamResponse> {
    const provider = new URL(req.url).hostname;
    this.sent.push(provider);
    const queue = this.replies.get(provider) ?? [{ status: 200 }];
    const reply = queue.length > 1 ? queue.shift()! : queue[0];
    if ('hang' in reply) {
      return new Promise((_resolve, reject) => {
        const t = setTimeout(() => reject(Object.assign(new Error('headers timeout'), { code: 'UND_ERR_HEADERS_TIMEOUT' })), opts.headersTimeoutMs);
        opts.signal.once('abort', () => {
          clearTimeout(t);
          reject(new Error('aborted'));
        });
      });
    }
    if ('error' in reply) throw Object.assign(new Error(reply.error), { code: reply.error });
    const index = this.destroyed.length;
    this.destroyed.push(0);
    const body = Readable.from([Buffer.from(reply.body ?? `{"from":"${provider}"}`)]) as Readable & { text(): Promise<string> };
    const destroy = body.destroy.bind(body);
    body.destroy = ((e?: Error) => {
      this.destroyed[index] = 1;
      return destroy(e);
    }) as typeof body.destroy;
    body.text = async () => {
      let s = '';
      for await (const c of body) s += String(c);
      return s;
    };
    return { status: reply.status, headers: reply.headers ?? {}, body: body as unknown as UpstreamResponse['body'] };
  }
}

/** Steps of a trivial JSON endpoint: the answer is the body text. */
class EchoSteps implements EndpointSteps<EngineJob & { answer?: string }> {
  async local(job: EngineJob & { answer?: string }, _p: LocalProvider, target: Target) {
    job.answer = `local ${target.model}`;
  }
  request(_job: EngineJob, _provider: HttpProvider, target: Target): UpstreamRequest {
    return { method: 'POST', url: `http://${target.provider}/v1/echo`, headers: {}, body: '{}' };
  }
  async accept(job: EngineJob & { answer?: string }, up: UpstreamResponse, attempt: UpstreamAttempt): Promise<AttemptFailure | null> {
    job.answer = await up.body.text();
    attempt.succeed(up.status);
    return null;
  }
}

const providers = Object.fromEntries(['a', 'b', 'c', 'd'].map((p) => [p, { type: 'openai', base_url: `http://${p}/v1`, api_key: 'sk-test' }]));

function routes(models: Record<string, unknown>): RouteTable {
  return buildRouteTable(GatehouseConfigSchema.parse({ providers, models }));
}

const leaf = (p: string) => ({ provider: p, model: `${p}-model` });

async function run(table: RouteTable, model: string, fake: FakeUpstream, board = new TargetBoard()) {
  const engine = new FailoverEngine(fake as unknown as UpstreamClient, board, () => 0.5);
  const ctx = new RequestContext('openai', 'chat', { headers: {} } as IncomingMessage);
  ctx.modelRequested = model;
  const job: EngineJob & { answer?: string } = { ctx, model: table.models[model], routes: table, clientGone: null };
  const error = await engine.run(job, new EchoSteps()).then(() => null, (e: unknown) => e as GatewayError);
  return { ctx, answer: job.answer, error };
}

describe('FailoverEngine', () => {
  it('passes over targets the endpoint\'s steps skip, without an attempt or a breaker outcome', async () => {
    const table = routes({ m: { targets: [leaf('a'), leaf('b'), leaf('c')], retry: { attempts: 0 } } });
    const fake = new FakeUpstream().on('b', { status: 500 });
    const steps = new EchoSteps() as EchoSteps & EndpointSteps<EngineJob>;
    steps.skip = (_job, _provider, target) => target.provider === 'a';
    const board = new TargetBoard();
    const engine = new FailoverEngine(fake as unknown as UpstreamClient, board, () => 0.5);
    const ctx = new RequestContext('anthropic', 'count_tokens', { headers: {} } as IncomingMessage);
    const job: EngineJob & { answer?: string } = { ctx, model: table.models.m, routes: table, clientGone: null };
    await engine.run(job, steps);
    expect(job.answer).toBe('{"from":"c"}');
    expect(fake.sent).toEqual(['b', 'c']);
    expect(ctx.attempts.map((a) => [a.provider, a.status])).toEqual([['b', 500], ['c', 200]]);

    steps.skip = () => true;
    const none = { ...job, ctx: new RequestContext('anthropic', 'count_tokens', { headers: {} } as IncomingMessage) };
    const err = await engine.run(none, steps).then(() => null, (e: unknown) => e as GatewayError);
    expect(err).toMatchObject({ status: 503, code: 'upstream_failed' });
    expect(none.ctx.attempts).toEqual([]);
  });

  it('falls back in target order and records every attempt with its breaker state', async () => {
    const table = routes({ m: { targets: [leaf('a'), leaf('b')], retry: { attempts: 0 } } });
    const fake = new FakeUpstream().on('a', { status: 500 });
    const { ctx, answer, error } = await run(table, 'm', fake);
    expect(error).toBeNull();
    expect(answer).toBe('{"from":"b"}');
    expect(fake.sent).toEqual(['a', 'b']);
    expect(ctx.attempts.map((a) => [a.provider, a.status, a.breaker])).toEqual([['a', 500, 'closed'], ['b', 200, 'closed']]);
    expect(ctx.provider).toBe('b');
  });

  it('retries a configured status on the same target with backoff, then answers', async () => {
    const table = routes({ m: { targets: [leaf('a'), leaf('b')], retry: { attempts: 2, backoff_ms: 40 } } });
    const fake = new FakeUpstream().on('a', { status: 503 }, { status: 502 }, { status: 200 });
    const started = performance.now();
    const { answer } = await run(table, 'm', fake);
    expect(answer).toBe('{"from":"a"}');
    expect(fake.sent).toEqual(['a', 'a', 'a']);
    // jitter over the upper half with random() = 0.5: 30 ms, then 60 ms
    expect(performance.now() - started).toBeGreaterThanOrEqual(85);
  });

  it('honours a Retry-After within retry.max_wait_ms and moves on when it is longer', async () => {
    const table = routes({ m: { targets: [leaf('a'), leaf('b')], retry: { attempts: 1, max_wait_ms: 1000 } } });
    let fake = new FakeUpstream().on('a', { status: 429, headers: { 'retry-after': '0.2' } }, { status: 200 });
    let started = performance.now();
    expect((await run(table, 'm', fake)).answer).toBe('{"from":"a"}');
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);

    fake = new FakeUpstream().on('a', { status: 429, headers: { 'retry-after': '30' } });
    started = performance.now();
    expect((await run(table, 'm', fake)).answer).toBe('{"from":"b"}');
    expect(fake.sent).toEqual(['a', 'b']);
    // Moved on at once rather than after the 30 s Retry-After (a bound far below 30 s and far above a loaded machine's jitter).
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('retries a connection error on the same target, but leaves a hung target for the next one', async () => {
    const table = routes({ m: { targets: [leaf('a'), leaf('b')], retry: { attempts: 1, backoff_ms: 1 }, timeout: { first_byte_ms: 100 } } });
    let fake = new FakeUpstream().on('a', { error: 'ECONNRESET' }, { status: 200 });
    expect((await run(table, 'm', fake)).answer).toBe('{"from":"a"}');
    expect(fake.sent).toEqual(['a', 'a']);

    fake = new FakeUpstream().on('a', { hang: true });
    const { answer, ctx } = await run(table, 'm', fake);
    expect(answer).toBe('{"from":"b"}');
    expect(ctx.attempts.map((a) => [a.provider, a.status, a.error_type])).toEqual([['a', 0, 'timeout'], ['b', 200, null]]);
  });

  it('retries a hung target when every later target is skipped by its open breaker, instead of giving up', async () => {
    const table = routes({
      only_b: { targets: [leaf('b')], retry: { attempts: 0 }, breaker: { failures: 1, cooldown_s: 60 } },
      m: { targets: [leaf('a'), leaf('b')], retry: { attempts: 1, backoff_ms: 1 }, timeout: { first_byte_ms: 100, total_ms: 2000 }, breaker: { failures: 5, cooldown_s: 60 } },
    });
    const board = new TargetBoard();
    const fake = new FakeUpstream().on('b', { status: 500 }).on('a', { hang: true }, { status: 200 });
    await run(table, 'only_b', fake, board);
    expect(board.view().find((t) => t.target === 'b/b-model')?.state).toBe('open');
    fake.sent.length = 0;
    const { answer, error, ctx } = await run(table, 'm', fake, board);
    expect(error).toBeNull();
    expect(answer).toBe('{"from":"a"}');
    expect(fake.sent).toEqual(['a', 'a']);
    expect(ctx.attempts.map((a) => [a.provider, a.error_type])).toEqual([['a', 'timeout'], ['a', null]]);
  });

  it('maps failures the same way for every endpoint: 4xx of the request is final, then 502 / 503 / 504', async () => {
    const table = routes({ m: { targets: [leaf('a'), leaf('b')], retry: { attempts: 0 }, timeout: { first_byte_ms: 50 } } });
    let r = await run(table, 'm', new FakeUpstream().on('a', { status: 413, body: '{"error":{"message":"too big"}}' }));
    expect([r.error?.status, r.error?.type]).toEqual([413, 'request_too_large']);
    r = await run(table, 'm', new FakeUpstream().on('a', { status: 400 }));
    expect([r.error?.status, r.error?.type]).toEqual([400, 'invalid_request_error']);
    r = await run(table, 'm', new FakeUpstream().on('a', { status: 500 }).on('b', { status: 502 }));
    expect([r.error?.status, r.error?.type]).toEqual([502, 'upstream_error']);
    r = await run(table, 'm', new FakeUpstream().on('a', { status: 429 }).on('b', { status: 503 }));
    expect([r.error?.status, r.error?.type]).toEqual([503, 'overloaded_error']);
    r = await run(table, 'm', new FakeUpstream().on('a', { status: 500 }).on('b', { hang: true }));
    expect([r.error?.status, r.error?.type]).toEqual([504, 'timeout_error']);
    expect((r.error?.details as { attempts: unknown[] }).attempts).toHaveLength(2);
  });

  it('reads at most 64 KiB of an error body and drops the connection', async () => {
    const table = routes({ m: { targets: [leaf('a')], retry: { attempts: 0 } } });
    const huge = `{"error":{"message":"${'x'.repeat(200_000)}"}}`;
    const fake = new FakeUpstream().on('a', { status: 500, body: huge });
    const { error } = await run(table, 'm', fake);
    expect(error?.status).toBe(502);
    expect(error!.message.length).toBeLessThan(70 * 1024);
    expect(fake.destroyed).toEqual([1]);
  });

  it('skips a target whose breaker opened and, when every target is open, tries the one that opened first', async () => {
    const table = routes({ m: { targets: [leaf('a'), leaf('b')], retry: { attempts: 0 }, breaker: { failures: 3, cooldown_s: 60 } } });
    const board = new TargetBoard();
    const fake = new FakeUpstream().on('a', { status: 500 });
    for (let i = 0; i < 3; i++) await run(table, 'm', fake, board);
    expect(fake.sent.filter((p) => p === 'a')).toHaveLength(3);
    fake.sent.length = 0;
    const { answer } = await run(table, 'm', fake, board);
    expect(answer).toBe('{"from":"b"}');
    expect(fake.sent).toEqual(['b']);
    expect(board.view().find((t) => t.target === 'a/a-model')).toMatchObject({ state: 'open', error_rate: 1, last_error: { message: expect.stringContaining('a returned 500') } });

    fake.on('b', { status: 500 });
    for (let i = 0; i < 3; i++) await run(table, 'm', fake, board);
    fake.sent.length = 0;
    fake.on('a', { status: 200 });
    const all = await run(table, 'm', fake, board);
    expect(fake.sent).toEqual(['a']);
    expect(all.answer).toBe('{"from":"a"}');
    expect(all.ctx.attempts[0].breaker).toBe('open');
    expect(board.view().find((t) => t.target === 'a/a-model')?.state).toBe('closed');
  });

  it('flattens nested groups in order: fallback → load-balanced pool → single target', async () => {
    const table = routes({
      top: { strategy: 'fallback', targets: [{ group: 'pool' }, leaf('d')], retry: { attempts: 0 } },
      pool: { strategy: 'loadbalance', targets: [leaf('a'), { group: 'single' }] },
      single: { targets: [leaf('c')] },
    });
    const fake = new FakeUpstream().on('a', { status: 500 }).on('c', { status: 500 });
    const { answer } = await run(table, 'top', fake);
    expect(answer).toBe('{"from":"d"}');
    expect(fake.sent.slice().sort()).toEqual(['a', 'c', 'd']);
    expect(fake.sent[2]).toBe('d');
  });

  it('answers from an in-process provider without failover', async () => {
    const table = buildRouteTable(GatehouseConfigSchema.parse({ providers: { local: { type: 'mock' } }, models: { m: { targets: [{ provider: 'local', model: 'mock-1' }] } } }));
    const { answer, ctx } = await run(table, 'm', new FakeUpstream());
    expect(answer).toBe('local mock-1');
    expect(ctx.attempts).toHaveLength(1);
  });
});

import { Inject, Injectable, Module, type OnModuleDestroy } from '@nestjs/common';
import { Pool } from 'undici';
import { countTraceTexts, readTraceTextPage, type ClickHouseClient, type TraceTextCount, type TraceTextCursor, type TraceTextFilter, type TraceTextRow } from '@gatehouse/clickhouse';
import { GatewayError } from '@gatehouse/contracts';
import { RUNTIME, type Runtime } from '@gatehouse/runtime';

/**
 * Where a backtest reads stored traffic (port). Adapters: the analytics store of this process
 * (standalone) and the analytics app over HTTP (a separate guard: GATEHOUSE_ANALYTICS_URL).
 */
export interface TraceTextSource {
  count(filter: TraceTextFilter): Promise<TraceTextCount>;
  page(filter: TraceTextFilter, after: TraceTextCursor | null, limit: number): Promise<TraceTextRow[]>;
  close(): Promise<void>;
}

export const TRACE_TEXT_SOURCE = Symbol('TRACE_TEXT_SOURCE');

/** The store this process owns. */
export class StoreTraceTexts implements TraceTextSource {
  constructor(private readonly client: ClickHouseClient) {}
  count(filter: TraceTextFilter): Promise<TraceTextCount> {
    return countTraceTexts(this.client, filter);
  }
  page(filter: TraceTextFilter, after: TraceTextCursor | null, limit: number): Promise<TraceTextRow[]> {
    return readTraceTextPage(this.client, filter, after, limit);
  }
  async close(): Promise<void> {}
}

/** POST <analytics>/internal/trace-texts[/count] with the admin token. */
export class HttpTraceTexts implements TraceTextSource {
  private readonly pool: Pool;

  constructor(baseUrl: string, private readonly adminToken: string, private readonly timeoutMs = 30_000) {
    this.pool = new Pool(new URL(baseUrl).origin, { connections: 4, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  }

  count(filter: TraceTextFilter): Promise<TraceTextCount> {
    return this.post<TraceTextCount>('/internal/trace-texts/count', filter);
  }

  async page(filter: TraceTextFilter, after: TraceTextCursor | null, limit: number): Promise<TraceTextRow[]> {
    return (await this.post<{ data: TraceTextRow[] }>('/internal/trace-texts', { filter, after, limit })).data;
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  private async post<T>(path: string, body: unknown): Promise<T> {
    let res;
    try {
      res = await this.pool.request({ path, method: 'POST', headers: { authorization: `Bearer ${this.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    } catch (e) {
      throw unavailable(`the analytics app did not answer (${(e as Error).message})`);
    }
    const text = await res.body.text();
    if (res.statusCode !== 200) throw unavailable(`the analytics app answered ${res.statusCode}`);
    return JSON.parse(text) as T;
  }
}

const unavailable = (why: string) => new GatewayError(503, 'api_error', `stored traffic cannot be read: ${why}`, { code: 'analytics_unavailable' });

/** No store in this process and no GATEHOUSE_ANALYTICS_URL: every backtest answers 503 saying what to set. */
class NoTraceTexts implements TraceTextSource {
  private fail(): never {
    throw new GatewayError(503, 'api_error', 'backtests read stored traffic from the analytics app: set GATEHOUSE_ANALYTICS_URL on the guard', { code: 'analytics_unavailable', param: 'GATEHOUSE_ANALYTICS_URL' });
  }
  async count(): Promise<TraceTextCount> {
    this.fail();
  }
  async page(): Promise<TraceTextRow[]> {
    this.fail();
  }
  async close(): Promise<void> {}
}

export function createTraceTextSource(runtime: Runtime): TraceTextSource {
  if (runtime.clickhouse) return new StoreTraceTexts(runtime.clickhouse);
  if (runtime.env.GATEHOUSE_ANALYTICS_URL) return new HttpTraceTexts(runtime.env.GATEHOUSE_ANALYTICS_URL, runtime.adminToken);
  return new NoTraceTexts();
}

@Injectable()
class TraceTextSourceLifecycle implements OnModuleDestroy {
  constructor(@Inject(TRACE_TEXT_SOURCE) private readonly source: TraceTextSource) {}
  async onModuleDestroy(): Promise<void> {
    await this.source.close();
  }
}

/** Provides TRACE_TEXT_SOURCE: the process's store (standalone), else the analytics app over HTTP. */
@Module({
  providers: [{ provide: TRACE_TEXT_SOURCE, useFactory: createTraceTextSource, inject: [RUNTIME] }, TraceTextSourceLifecycle],
  exports: [TRACE_TEXT_SOURCE],
})
export class TraceTextSourceModule {}

import type { ClickHouseClient } from '@clickhouse/client';
import type { Bus, Delivered, Subscription } from '@gatehouse/bus';
import { AuditTopic, type TopicDef, TracesTopic, VerdictsTopic } from '@gatehouse/contracts';
import type { Logger } from '@gatehouse/observability';
import { BatchWriter } from './batch-writer';
import { consumerLag } from './ingest.metrics';
import { AUDIT_NULLABLE_COLUMNS, AUDIT_ROW_COLUMNS, auditToRow, type AuditRow } from '../rows/audit-row';
import { TRACE_NULLABLE_COLUMNS, TRACE_ROW_COLUMNS, VERDICT_NULLABLE_COLUMNS, VERDICT_ROW_COLUMNS, traceToRow, verdictToRow, type TraceRow, type VerdictRow } from '../rows/rows';

export const ANALYTICS_GROUP = 'gatehouse-analytics';

export interface IngestOptions {
  database: string;
  batchMaxRows: number;
  batchMaxMs: number;
  /** Consumer group (default gatehouse-analytics). */
  group?: string;
  /** How long a flush retries a failing ClickHouse before the batch goes back to the bus. */
  retryForMs?: number;
  lagIntervalMs?: number;
}

/**
 * Consumes gatehouse.traces.v1, gatehouse.verdicts.v1 and gatehouse.audit.v1 (group gatehouse-analytics) into
 * ClickHouse. A handler resolves only after the rows it carried were inserted, so offsets are
 * committed for stored data only; schema-invalid messages are sent to the DLQ by the bus.
 */
export class IngestService {
  readonly traces: BatchWriter<TraceRow>;
  readonly verdicts: BatchWriter<VerdictRow>;
  readonly audit: BatchWriter<AuditRow>;
  private readonly subs: { topic: string; sub: Subscription }[] = [];
  private readonly lags = new Map<string, number | null>();
  private lagTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly bus: Bus,
    client: ClickHouseClient,
    private readonly opts: IngestOptions,
    private readonly logger: Logger,
  ) {
    const common = { database: opts.database, maxRows: opts.batchMaxRows, retryForMs: opts.retryForMs };
    this.traces = new BatchWriter(client, { ...common, table: 'traces', idColumn: 'request_id', tsColumn: 'ts_start', columns: TRACE_ROW_COLUMNS, nullable: TRACE_NULLABLE_COLUMNS }, logger);
    this.verdicts = new BatchWriter(client, { ...common, table: 'verdicts', idColumn: 'verdict_id', tsColumn: 'ts', columns: VERDICT_ROW_COLUMNS, nullable: VERDICT_NULLABLE_COLUMNS }, logger);
    this.audit = new BatchWriter(client, { ...common, table: 'audit', idColumn: 'event_id', tsColumn: 'ts', columns: AUDIT_ROW_COLUMNS, nullable: AUDIT_NULLABLE_COLUMNS }, logger);
  }

  async start(): Promise<void> {
    await this.consume(TracesTopic, (batch) => this.traces.write(values(batch).map(traceToRow)));
    await this.consume(VerdictsTopic, (batch) => this.verdicts.write(values(batch).map(verdictToRow)));
    await this.consume(AuditTopic, (batch) => this.audit.write(values(batch).map(auditToRow)));
    this.lagTimer = setInterval(() => void this.refreshLag(), this.opts.lagIntervalMs ?? 5000);
    this.lagTimer.unref();
    await this.refreshLag();
  }

  /** Readiness of the store side: false while inserts into ClickHouse fail. */
  clickhouseStatus(): { ok: boolean; detail: unknown } {
    const t = this.traces.status();
    const v = this.verdicts.status();
    const a = this.audit.status();
    return { ok: t.ok && v.ok && a.ok, detail: { traces: t, verdicts: v, audit: a, lag: Object.fromEntries(this.lags) } };
  }

  lag(): Record<string, number | null> {
    return Object.fromEntries(this.lags);
  }

  /** Stop consuming (the batch in flight finishes and is committed), then flush the writers. */
  async stop(): Promise<void> {
    if (this.lagTimer) clearInterval(this.lagTimer);
    const closing = this.subs.map((s) => s.sub.close());
    await Promise.all([this.traces.drain(), this.verdicts.drain(), this.audit.drain()]);
    await Promise.all(closing);
    await Promise.all([this.traces.close(), this.verdicts.close(), this.audit.close()]);
  }

  private async consume<T>(topic: TopicDef<T>, handle: (batch: Delivered<T>[]) => Promise<void>): Promise<void> {
    const sub = await this.bus.subscribe(
      topic,
      { group: this.opts.group ?? ANALYTICS_GROUP, fromBeginning: true, maxBatchSize: this.opts.batchMaxRows, maxWaitMs: this.opts.batchMaxMs, fill: true },
      handle,
    );
    this.subs.push({ topic: topic.name, sub });
  }

  private async refreshLag(): Promise<void> {
    for (const { topic, sub } of this.subs) {
      try {
        const lag = await sub.lag();
        this.lags.set(topic, lag);
        if (lag !== null) consumerLag.set({ topic }, lag);
      } catch (e) {
        this.logger.debug({ topic, err: (e as Error).message }, 'consumer lag unavailable');
      }
    }
  }
}

function values<T>(batch: Delivered<T>[]): T[] {
  const out: T[] = [];
  for (const m of batch) if (m.value !== null) out.push(m.value);
  return out;
}

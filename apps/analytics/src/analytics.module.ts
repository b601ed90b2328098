import { Inject, Module, Optional, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { join } from 'node:path';
import { BUS, type Bus } from '@gatehouse/bus';
import { runMigrations } from '@gatehouse/clickhouse';
import { ReadinessRegistry, RUNTIME, type Runtime } from '@gatehouse/runtime';
import { KeysModule, TeamsModule } from '@gatehouse/keys';
import { AuthModule } from '@gatehouse/auth';
import { ConsoleController } from './console/console.controller';
import { DashboardController } from './dashboard/dashboard.controller';
import { IngestService, type IngestOptions } from './ingest/ingest.service';
import { AnalyticsStore } from './query/analytics-store';
import { AuditController } from './query/audit.controller';
import { GuardrailsController } from './query/guardrails.controller';
import { LatencyController } from './query/latency.controller';
import { TracesController } from './query/traces.controller';
import { UsageController } from './query/usage.controller';
import { InternalSpendController } from './internal/spend.controller';
import { InternalTraceTextsController } from './internal/trace-texts.controller';
import { periodSpend } from './internal/period-spend';
import { LocalSpendSource } from '@gatehouse/spend';

/** Optional overrides of the ingest (consumer group, retry window), e.g. for tests. */
export const ANALYTICS_INGEST_OPTIONS = Symbol('ANALYTICS_INGEST_OPTIONS');
export type AnalyticsIngestOverrides = Partial<Pick<IngestOptions, 'group' | 'retryForMs' | 'lagIntervalMs'>>;

/** libs/clickhouse/src/migrations, from apps/analytics/src (source or dist). */
export const MIGRATIONS_DIR = join(__dirname, '..', '..', '..', 'libs', 'clickhouse', 'src', 'migrations');

/**
 * Traces and verdicts from the bus into ClickHouse, the /analytics query API, the /dashboard and the /console.
 * Import after RuntimeModule.forRoot(runtime) in a process that owns the analytics store.
 * Init: migrations, consumers started (the key directory is KeysModule's). Shutdown: consumers drained.
 */
@Module({
  imports: [AuthModule, KeysModule, TeamsModule],
  controllers: [AuditController, UsageController, LatencyController, GuardrailsController, TracesController, DashboardController, ConsoleController, InternalSpendController, InternalTraceTextsController],
  providers: [AnalyticsStore],
})
export class AnalyticsModule implements OnModuleInit, OnApplicationShutdown {
  private ingest: IngestService | null = null;

  constructor(
    @Inject(RUNTIME) private readonly runtime: Runtime,
    @Inject(BUS) private readonly bus: Bus,
    private readonly store: AnalyticsStore,
    private readonly readiness: ReadinessRegistry,
    @Optional() @Inject(ANALYTICS_INGEST_OPTIONS) private readonly overrides: AnalyticsIngestOverrides | null,
    private readonly localSpend: LocalSpendSource,
  ) {}

  async onModuleInit(): Promise<void> {
    const { config, logger } = this.runtime;
    const log = logger.child({ component: 'analytics' });
    const client = this.store.clickhouse;
    await runMigrations(client, {
      database: this.store.database,
      dir: MIGRATIONS_DIR,
      vars: { ttl_days: config.analytics.ttl_days },
      logger: log,
    });
    this.ingest = new IngestService(this.bus, client, {
      database: this.store.database,
      batchMaxRows: config.analytics.batch_max_rows,
      batchMaxMs: config.analytics.batch_max_ms,
      ...(this.overrides ?? {}),
    }, log);
    const ingest = this.ingest;
    this.readiness.register('clickhouse', () => ingest.clickhouseStatus());
    await ingest.start();
    this.localSpend.source = { spentSince: (kind, id, from) => periodSpend(this.store, kind, id, from) };
    log.info({ database: this.store.database }, 'analytics ingest started');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.ingest?.stop();
  }
}

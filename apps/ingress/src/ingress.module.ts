import { Inject, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { BUS, type Bus } from '@gatehouse/bus';
import type { GatehouseConfig } from '@gatehouse/config';
import { PriceBook } from '@gatehouse/pricing';
import { TargetBoard } from '@gatehouse/routing';
import { KeyDirectory, KeyService, KeysModule, TeamDirectory, TeamsModule } from '@gatehouse/keys';
import { AuthModule } from '@gatehouse/auth';
import { createResponseCache, RESPONSE_CACHE, type ResponseCache } from '@gatehouse/cache';
import { CONFIG, LOGGER, RUNTIME, type Runtime, HOT_PATH, HotPathHolder, ReadinessRegistry } from '@gatehouse/runtime';
import type { Logger } from '@gatehouse/observability';
import { AdminKeysController } from './keys/admin-keys.controller';
import { ChatCache } from './pipeline/chat-cache';
import { ChatExecutor } from './pipeline/chat-executor';
import { FailoverEngine } from './routing/failover-engine';
import { buildRouteTable, LiveRoutes } from './routing/route-table';
import { publishBreakerAlerts } from './routing/breaker-alerts';
import { exportBreakerMetrics } from './routing/breaker-metrics';
import { AdminTargetsController } from './routing/admin-targets.controller';
import { AdminConfigController } from './config-reload/admin-config.controller';
import { ConfigReloader } from './config-reload/config-reloader';
import { EmbeddingsExecutor } from './pipeline/embeddings-executor';
import { CountTokensExecutor } from './pipeline/count-tokens-executor';
import { TraceRecorder } from './pipeline/trace-recorder';
import { INPUT_GUARD, OUTPUT_GUARD } from './guardrails/guard-tokens';
import type { InputGuard } from './pipeline/input-guard';
import type { OutputGuard } from './pipeline/output-guard';
import { UpstreamClient } from './upstream/upstream-client';
import { ChatHandler } from './http/chat.handler';
import { EmbeddingsHandler } from './http/embeddings.handler';
import { ModelsHandler } from './http/models.handler';
import { CountTokensHandler } from './http/count-tokens.handler';
import { V1Router } from './http/v1.router';
import { GuardrailsModule } from './guardrails/guardrails.module';
import { Limiter, LocalSpendSource } from '@gatehouse/spend';
import { createRedisLink, type RedisLink } from '@gatehouse/redis';
import { AdminTeamsController } from './teams/admin-teams.controller';
import { TeamSyncService } from './teams/team-sync.service';
import { AdminUsageController } from './limits/admin-usage.controller';
import { createLimiter } from './limits/create-limiter';
import { TokenizerWarmup } from './limits/tokenizer-warmup';
import { limitsReadiness } from './limits/limits-readiness';
import { createRequestSpans, type RequestSpans } from '@gatehouse/telemetry';

const REQUEST_SPANS = Symbol('REQUEST_SPANS');
/** The Redis connection of the limiter and the response cache (null without REDIS_URL). */
const REDIS_LINK = Symbol('REDIS_LINK');


/**
 * The proxy. The /v1 hot path is plain classes built here from the container and served by the
 * node:http handler (HOT_PATH); Nest serves the keys admin API.
 */
@Module({
  imports: [AuthModule, KeysModule, TeamsModule, GuardrailsModule],
  controllers: [AdminKeysController, AdminTeamsController, AdminUsageController, AdminTargetsController, AdminConfigController],
  providers: [
    TeamSyncService,
    {
      provide: REDIS_LINK,
      useFactory: ({ env, config }: Runtime) =>
        env.REDIS_URL ? createRedisLink({ url: env.REDIS_URL, commandTimeoutMs: Math.max(config.limits.redis_timeout_ms, config.cache.lookup_timeout_ms) }) : null,
      inject: [RUNTIME],
    },
    {
      provide: Limiter,
      useFactory: async (runtime: Runtime, teams: TeamDirectory, local: LocalSpendSource, readiness: ReadinessRegistry, link: RedisLink | null) => {
        const limiter = await createLimiter(runtime, teams, local, link);
        readiness.register('limits', () => limitsReadiness(limiter));
        return limiter;
      },
      inject: [RUNTIME, TeamDirectory, LocalSpendSource, ReadinessRegistry, REDIS_LINK],
    },
    { provide: TokenizerWarmup, useFactory: (log: Logger) => new TokenizerWarmup(log), inject: [LOGGER] },
    { provide: LiveRoutes, useFactory: (c: GatehouseConfig) => new LiveRoutes(buildRouteTable(c)), inject: [CONFIG] },
    { provide: UpstreamClient, useValue: new UpstreamClient() },
    { provide: TargetBoard, useValue: new TargetBoard() },
    { provide: FailoverEngine, useFactory: (u: UpstreamClient, b: TargetBoard) => new FailoverEngine(u, b), inject: [UpstreamClient, TargetBoard] },
    { provide: PriceBook, useFactory: (c: GatehouseConfig) => new PriceBook(c.pricing), inject: [CONFIG] },
    { provide: REQUEST_SPANS, useFactory: (r: Runtime) => createRequestSpans(r.config, r.env), inject: [RUNTIME] },
    {
      provide: TraceRecorder,
      useFactory: (bus: Bus, prices: PriceBook, spans: RequestSpans | null) => new TraceRecorder(bus, prices, spans),
      inject: [BUS, PriceBook, REQUEST_SPANS],
    },
    {
      provide: ConfigReloader,
      useFactory: (r: Runtime, routes: LiveRoutes, prices: PriceBook, teams: TeamSyncService, u: UpstreamClient, warmup: TokenizerWarmup) =>
        new ConfigReloader(r.configSource, {
          routes,
          prices,
          publishTeams: (t) => {
            teams.publishConfigTeams(t);
            warmup.configReloaded(t);
          },
        }, u, r.logger),
      inject: [RUNTIME, LiveRoutes, PriceBook, TeamSyncService, UpstreamClient, TokenizerWarmup],
    },
    { provide: ChatExecutor, useFactory: (e: FailoverEngine) => new ChatExecutor(e), inject: [FailoverEngine] },
    { provide: EmbeddingsExecutor, useFactory: (e: FailoverEngine) => new EmbeddingsExecutor(e), inject: [FailoverEngine] },
    {
      provide: RESPONSE_CACHE,
      useFactory: (r: Runtime, link: RedisLink | null) => createResponseCache(link, r.config, r.role === 'standalone', r.logger),
      inject: [RUNTIME, REDIS_LINK],
    },
    {
      provide: HOT_PATH,
      useFactory: (c: GatehouseConfig, keys: KeyDirectory, routes: LiveRoutes, chat: ChatExecutor, emb: EmbeddingsExecutor, rec: TraceRecorder, guard: InputGuard, out: OutputGuard, log: Logger, holder: HotPathHolder, cache: ResponseCache, limiter: Limiter, engine: FailoverEngine) =>
        (holder.handler = new V1Router(
          new ChatHandler(c, keys, routes, chat, rec, guard, out, new ChatCache(cache, c.cache), log, limiter),
          new EmbeddingsHandler(c, keys, routes, emb, rec, log, limiter),
          new ModelsHandler(routes, keys, log),
          new CountTokensHandler(c, keys, routes, new CountTokensExecutor(engine), log),
          log,
        )),
      inject: [CONFIG, KeyDirectory, LiveRoutes, ChatExecutor, EmbeddingsExecutor, TraceRecorder, INPUT_GUARD, OUTPUT_GUARD, LOGGER, HotPathHolder, RESPONSE_CACHE, Limiter, FailoverEngine],
    },
  ],
  exports: [HOT_PATH, FailoverEngine, TargetBoard, LiveRoutes],
})
export class IngressModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(UpstreamClient) private readonly upstream: UpstreamClient,
    @Inject(CONFIG) private readonly config: GatehouseConfig,
    private readonly keys: KeyService,
    @Inject(RESPONSE_CACHE) private readonly cache: ResponseCache,
    private readonly board: TargetBoard,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly reloader: ConfigReloader,
    @Inject(REQUEST_SPANS) private readonly spans: RequestSpans | null,
    @Inject(BUS) private readonly bus: Bus,
    @Inject(REDIS_LINK) private readonly redis: RedisLink | null,
    @Inject(Limiter) private readonly limiter: Limiter,
    private readonly keyDirectory: KeyDirectory,
    private readonly teams: TeamDirectory,
    private readonly warmup: TokenizerWarmup,
  ) {}

  private readonly onHangup = () => void this.reloader.reload('SIGHUP');

  /**
   * After the key directory caught up (KeysModule inits first): publish the config keys that changed,
   * and load the tokenizer now if a tpm limit will need it.
   */
  onModuleInit(): void {
    this.keys.publishConfigKeys(this.config.keys);
    this.warmup.start(this.config, [this.keyDirectory, this.teams]);
    exportBreakerMetrics(this.board, this.log);
    publishBreakerAlerts(this.board, this.bus);
    process.on('SIGHUP', this.onHangup);
  }

  async onApplicationShutdown(): Promise<void> {
    process.off('SIGHUP', this.onHangup);
    await this.upstream.close();
    await this.cache.close();
    await this.limiter.close();
    await this.redis?.close();
    await this.spans?.shutdown();
  }
}

import { ConfigError, loadConfigFile, type GatehouseConfig } from '@gatehouse/config';
import type { Logger } from '@gatehouse/observability';
import type { PriceBook } from '@gatehouse/pricing';
import { buildRouteTable, type LiveRoutes } from '../routing/route-table';
import type { UpstreamClient } from '../upstream/upstream-client';

export type ReloadResult =
  | { ok: true; generation: number; source: string; providers: string[]; models: string[] }
  | { ok: false; generation: number; source: string; error: string };

/** Applies the parts of a reloaded config the ingress takes live. */
export interface ConfigSinks {
  routes: LiveRoutes;
  prices: PriceBook;
  publishTeams(teams: GatehouseConfig['teams']): void;
}

/**
 * Reloads providers, models, pricing and teams from the config file the process started with.
 * The file is validated completely first: an invalid one changes nothing and the error names the
 * field. Requests in flight keep the route table they started with; the old providers' connection
 * pools are closed once the longest possible request of the old config is over.
 */
export class ConfigReloader {
  private generation = 1;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly source: string,
    private readonly sinks: ConfigSinks,
    private readonly upstream: UpstreamClient,
    private readonly log: Logger,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  reload(trigger: string): ReloadResult {
    let config: GatehouseConfig;
    try {
      config = loadConfigFile(this.source, this.env).config;
    } catch (e) {
      const error = e instanceof ConfigError ? e.message : String(e);
      this.log.error({ trigger, source: this.source, error }, 'config reload refused; the running config stays');
      return { ok: false, generation: this.generation, source: this.source, error };
    }
    const old = this.sinks.routes.current;
    this.sinks.routes.current = buildRouteTable(config);
    this.sinks.prices.reprice(config.pricing);
    this.sinks.publishTeams(config.teams);
    this.generation++;
    const linger = Math.max(0, ...Object.values(old.models).map((m) => m.timeout.total_ms)) + 5_000;
    setTimeout(() => {
      for (const entry of old.providers.values()) this.upstream.retire(entry);
    }, linger).unref();
    const result: ReloadResult = { ok: true, generation: this.generation, source: this.source, providers: Object.keys(config.providers), models: Object.keys(config.models) };
    this.log.info({ trigger, generation: this.generation, source: this.source, models: result.models.length, providers: result.providers.length }, 'config reloaded');
    return result;
  }
}

import type { GatehouseConfig, ModelConfig } from '@gatehouse/config';
import { createProviders, type Provider } from '@gatehouse/providers';

export interface ProviderEntry {
  name: string;
  provider: Provider;
  maxConnections: number;
}

/** What a request routes with: the providers and model aliases of one config generation (a reload makes a new table; in-flight requests keep theirs). */
export interface RouteTable {
  providers: ReadonlyMap<string, ProviderEntry>;
  models: Readonly<Record<string, ModelConfig>>;
}

export function buildRouteTable(config: GatehouseConfig): RouteTable {
  const providers = new Map<string, ProviderEntry>();
  for (const [name, provider] of createProviders(config.providers)) {
    providers.set(name, { name, provider, maxConnections: config.providers[name].max_connections });
  }
  return { providers, models: config.models };
}

/** The route table new requests use; a config reload swaps it (requests in flight keep the one they read). */
export class LiveRoutes {
  constructor(public current: RouteTable) {}
}

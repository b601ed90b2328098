import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startApp, type AppProcess } from './app-process';

/** Provider keys the gateway holds in config; tests check that these (not the client's key) reach the mock upstream. */
export const UPSTREAM_KEYS = {
  openai: 'sk-upstream-openai-0000',
  anthropic: 'sk-ant-upstream-0000',
  gemini: 'gemini-upstream-key-0000',
  azure: 'azure-upstream-key-0000',
  compatible: 'compat-upstream-key-0000',
  bedrockAccessKeyId: 'AKIAMOCKUPSTREAM0000',
  bedrockSecret: 'mock-bedrock-secret-access-key-0000',
} as const;

/** One model name per provider on the mock upstream, each routed to a single target. */
export const MOCK_MODELS = {
  openai: { provider: 'openai', model: 'gpt-4o-mini' },
  anthropic: { provider: 'anthropic', model: 'claude-sonnet-4-5' },
  gemini: { provider: 'gemini', model: 'gemini-2.5-flash' },
  bedrock: { provider: 'bedrock', model: 'anthropic.claude-3-5-haiku-20241022-v1:0' },
  'azure-openai': { provider: 'azure-openai', model: 'gpt-4o' },
  'openai-compatible': { provider: 'openai-compatible', model: 'qwen2.5-7b-instruct' },
} as const;
export type MockProviderName = keyof typeof MOCK_MODELS;

export interface TestKey {
  name: string;
  secret: string;
  team?: string;
  models?: string[];
  log_bodies?: boolean;
  cache?: { ttl_s: number };
  rpm?: number;
  tpm?: number;
  budget_usd?: number;
  budget_period?: 'day' | 'month' | 'total';
}

export interface GatewayConfigOptions {
  /** The mock upstream's base URL (http://127.0.0.1:port). */
  mockUrl: string;
  keys: TestKey[];
  /** Extra or replacing model entries (raw config: strategy, targets, retry, timeout). */
  models?: Record<string, unknown>;
  /** Extra or replacing provider entries. */
  providers?: Record<string, unknown>;
  limits?: { max_body_bytes?: number; guardrail_budget_ms?: number };
  pricing?: Record<string, unknown>;
  /** The config's response cache section. */
  cache?: Record<string, unknown>;
  teams?: Record<string, { rpm?: number; tpm?: number; budget_usd?: number; budget_period?: 'day' | 'month' | 'total' }>;
  /** Merged into `limits` (on_redis_error, redis_timeout_ms). */
  spendLimits?: Record<string, unknown>;
  /** Other top-level sections (backtest, alerts, ...), as written. */
  sections?: Record<string, unknown>;
}

export interface WrittenConfig {
  path: string;
  remove(): void;
}

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** The six HTTP provider types, all pointing at the mock upstream, plus the built-in mock provider. */
export function mockProviders(mockUrl: string): Record<string, unknown> {
  return {
    openai: { type: 'openai', base_url: `${mockUrl}/v1`, api_key: UPSTREAM_KEYS.openai },
    anthropic: { type: 'anthropic', base_url: mockUrl, api_key: UPSTREAM_KEYS.anthropic },
    gemini: { type: 'gemini', base_url: mockUrl, api_key: UPSTREAM_KEYS.gemini },
    bedrock: {
      type: 'bedrock',
      base_url: mockUrl,
      region: 'us-east-1',
      access_key_id: UPSTREAM_KEYS.bedrockAccessKeyId,
      secret_access_key: UPSTREAM_KEYS.bedrockSecret,
    },
    'azure-openai': { type: 'azure-openai', base_url: mockUrl, api_key: UPSTREAM_KEYS.azure },
    'openai-compatible': { type: 'openai-compatible', base_url: `${mockUrl}/v1`, api_key: UPSTREAM_KEYS.compatible },
    local: { type: 'mock' },
  };
}

/** Client-facing model "<provider>-model" → that provider's upstream model, no retries (tests enqueue exact behaviours). */
export function mockModels(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, t] of Object.entries(MOCK_MODELS)) {
    out[`${name}-model`] = { targets: [{ provider: t.provider, model: t.model }], retry: { attempts: 0 } };
  }
  out['local-model'] = { targets: [{ provider: 'local', model: 'mock-1' }] };
  return out;
}

/** The config document of these options (what writeGatewayConfig writes as YAML). */
export function gatewayConfigDocument(opts: GatewayConfigOptions): Record<string, unknown> {
  return {
    providers: { ...mockProviders(opts.mockUrl), ...opts.providers },
    models: { ...mockModels(), ...opts.models },
    keys: opts.keys.map((k) => ({
      name: k.name,
      key_sha256: sha256(k.secret),
      team: k.team ?? 'qa',
      models: k.models ?? ['*'],
      log_bodies: k.log_bodies ?? true,
      ...(k.cache ? { cache: k.cache } : {}),
      ...(k.rpm ? { rpm: k.rpm } : {}),
      ...(k.tpm ? { tpm: k.tpm } : {}),
      ...(k.budget_usd ? { budget_usd: k.budget_usd, budget_period: k.budget_period ?? 'month' } : {}),
    })),
    ...(opts.limits || opts.spendLimits ? { limits: { ...opts.limits, ...opts.spendLimits } } : {}),
    ...(opts.teams ? { teams: opts.teams } : {}),
    ...(opts.pricing ? { pricing: opts.pricing } : {}),
    ...(opts.cache ? { cache: opts.cache } : {}),
    ...opts.sections,
  };
}

/** Writes a gatehouse.yaml into a fresh temp dir; pass its path as GATEHOUSE_CONFIG. */
export function writeGatewayConfig(opts: GatewayConfigOptions): WrittenConfig {
  const config = gatewayConfigDocument(opts);
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-config-'));
  const path = join(dir, 'gatehouse.yaml');
  writeFileSync(path, stringify(config));
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export const ADMIN_TOKEN = 'test-admin-token-ingress-e2e-0123456789';

export interface Gateway {
  app: AppProcess;
  url: string;
  stop(): Promise<void>;
  /** The trace of a request from GET /analytics/traces/:id (admin token), polling up to timeoutMs. */
  trace(requestId: string, timeoutMs?: number): Promise<Record<string, unknown>>;
}

/** Writes the config and starts the standalone app on it (in-process bus, admin token set); env.PORT picks its port. */
export async function startGateway(opts: GatewayConfigOptions, env: Record<string, string> = {}): Promise<Gateway> {
  const config = writeGatewayConfig(opts);
  let app: AppProcess;
  try {
    app = await startApp('standalone', { env: { GATEHOUSE_CONFIG: config.path, GATEHOUSE_ADMIN_TOKEN: ADMIN_TOKEN, KAFKA_BROKERS: '', REDIS_URL: '', ...env }, ...(env.PORT ? { port: Number(env.PORT) } : {}) });
  } catch (e) {
    config.remove();
    throw e;
  }
  const trace = async (requestId: string, timeoutMs = 5000): Promise<Record<string, unknown>> => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const r = await fetch(`${app.url}/analytics/traces/${requestId}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      if (r.status === 200) return (await r.json()) as Record<string, unknown>;
      await r.arrayBuffer();
      if (Date.now() > until) throw new Error(`trace ${requestId} not queryable within ${timeoutMs} ms (last status ${r.status})\n--- gateway log tail ---\n${app.logs().slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  return {
    app,
    url: app.url,
    trace,
    stop: async () => {
      await app.stop();
      config.remove();
    },
  };
}

import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

export const BENCH_MODEL = 'gpt-4o-mini';
/** Two healthy targets (fallback), and the same with the first target failing half its requests. */
export const FAILOVER_MODELS = { healthy: 'failover-healthy', flaky: 'failover-50' } as const;
/** Upstream connection limit of both the gateway's provider and the bare proxy's pool. */
export const UPSTREAM_CONNECTIONS = 512;

export interface BenchConfig {
  path: string;
  /**
   * The same config without the limited key and team, for the ingress of the rows that never use
   * them (so it does not load the tpm tokenizer's tables at start, issue 15's memory row).
   */
  unlimitedPath: string;
  dir: string;
  apiKey: string;
  /** A key with rpm, tpm and a budget, in a team with the same (limits on, never reached). */
  limitedApiKey: string;
}

/** A gateway config with one `openai` provider whose base_url is the mock, one model and one virtual key (no guardrail policies). */
export function writeBenchConfig(mockUrl: string): BenchConfig {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  const apiKey = `gh-bench-${randomBytes(16).toString('hex')}`;
  const limitedApiKey = `gh-bench-limited-${randomBytes(16).toString('hex')}`;
  const limits = { rpm: 100_000_000, tpm: 1_000_000_000_000, budget_usd: 1_000_000_000, budget_period: 'month' };
  const config = {
    providers: {
      upstream: { type: 'openai', base_url: `${mockUrl}/v1`, api_key: 'sk-bench-upstream', max_connections: UPSTREAM_CONNECTIONS },
      // The same mock, told by a header to answer 500 to a random half of the requests.
      flaky: {
        type: 'openai', base_url: `${mockUrl}/v1`, api_key: 'sk-bench-upstream', max_connections: UPSTREAM_CONNECTIONS,
        headers: { 'x-mock-behaviour': JSON.stringify({ status: 500, fail_ratio: 0.5 }) },
      },
    },
    models: {
      [BENCH_MODEL]: { targets: [{ provider: 'upstream', model: BENCH_MODEL }], retry: { attempts: 0 } },
      [FAILOVER_MODELS.healthy]: { targets: [{ provider: 'upstream', model: BENCH_MODEL }, { provider: 'upstream', model: `${BENCH_MODEL}-b` }], retry: { attempts: 0 } },
      [FAILOVER_MODELS.flaky]: { targets: [{ provider: 'flaky', model: BENCH_MODEL }, { provider: 'upstream', model: `${BENCH_MODEL}-b` }], retry: { attempts: 0 } },
    },
    keys: [
      { name: 'bench', key_sha256: createHash('sha256').update(apiKey).digest('hex'), team: 'bench', models: ['*'] },
      { name: 'bench-limited', key_sha256: createHash('sha256').update(limitedApiKey).digest('hex'), team: 'bench-limited', models: ['*'], ...limits },
    ],
    teams: { 'bench-limited': limits },
    policies: [],
  };
  const path = join(dir, 'gatehouse.yaml');
  writeFileSync(path, stringify(config));
  const unlimitedPath = join(dir, 'gatehouse-unlimited.yaml');
  writeFileSync(unlimitedPath, stringify({ ...config, keys: config.keys.filter((k) => k.name === 'bench'), teams: {} }));
  return { path, unlimitedPath, dir, apiKey, limitedApiKey };
}

import { parseConfig } from './load';

const KEY = 'a'.repeat(64);

describe('teams and limits in the config file', () => {
  it('accepts teams, key limits and limits.on_redis_error, with defaults', () => {
    const cfg = parseConfig(
      `teams:\n  research: { rpm: 600, tpm: 200000, budget_usd: 500, budget_period: month }\n  support: { rpm: 10 }\nkeys:\n  - { name: ci, key_sha256: ${KEY}, team: research, rpm: 60, budget_usd: 5, budget_period: day }\nlimits: { on_redis_error: fail_closed }\n`,
      {},
      'f',
    );
    expect(cfg.teams.research).toEqual({ rpm: 600, tpm: 200000, budget_usd: 500, budget_period: 'month', alerts: [] });
    expect(cfg.keys[0]).toMatchObject({ rpm: 60, budget_usd: 5, budget_period: 'day' });
    expect(cfg.limits).toMatchObject({ on_redis_error: 'fail_closed', redis_timeout_ms: 250, max_body_bytes: 10 * 1024 * 1024, leases: true });
    expect(parseConfig('{}', {}, 'f').limits).toMatchObject({ on_redis_error: 'fail_open', leases: true });
    expect(parseConfig('{}', {}, 'f').cache.key_index_max_keys).toBe(200_000);
    expect(parseConfig('limits: { leases: false }\ncache: { key_index_max_keys: 0 }\n', {}, 'f')).toMatchObject({ limits: { leases: false }, cache: { key_index_max_keys: 0 } });
  });

  it.each([
    ['teams:\n  t: { rpm: 0 }\n', 'teams.t.rpm'],
    ['teams:\n  t: { tpm: -5 }\n', 'teams.t.tpm'],
    ['teams:\n  t: { budget_usd: 0, budget_period: day }\n', 'teams.t.budget_usd'],
    ['teams:\n  t: { budget_usd: 10 }\n', 'teams.t.budget_period: required with budget_usd'],
    ['teams:\n  t: { budget_usd: 10, budget_period: week }\n', 'teams.t.budget_period'],
    [`keys:\n  - { name: k, key_sha256: ${KEY}, team: t, budget_usd: 1 }\n`, 'keys[0].budget_period: required with budget_usd'],
    [`keys:\n  - { name: k, key_sha256: ${KEY}, team: t, rpm: 1.5 }\n`, 'keys[0].rpm'],
    ['limits: { on_redis_error: maybe }\n', 'limits.on_redis_error'],
    ['limits: { leases: sometimes }\n', 'limits.leases'],
    ['cache: { key_index_max_keys: -1 }\n', 'cache.key_index_max_keys'],
  ])('rejects %j naming %s', (yaml, field) => {
    expect(() => parseConfig(yaml, {}, 'f')).toThrow(field);
  });
});

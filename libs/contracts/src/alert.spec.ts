import { AlertEventSchema, AlertTargetSchema, AlertsTopic, AlertFailuresTopic } from './alert';
import { ALL_TOPICS } from './index';
import { KeyRecordSchema } from './key';
import { PolicyBodySchema } from './policy';

describe('alert contract', () => {
  it('a target is a webhook or slack URL over http(s); anything else names the field', () => {
    expect(AlertTargetSchema.parse({ type: 'slack', url: 'https://hooks.example/T1/B2/x' })).toEqual({ type: 'slack', url: 'https://hooks.example/T1/B2/x' });
    const bad = AlertTargetSchema.safeParse({ type: 'email', url: 'ftp://x' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['type', 'url']);
  });

  it('each kind has its own fields; ids default to null', () => {
    const deny = AlertEventSchema.parse({ kind: 'guardrail_deny', alert_id: 'a1', ts: 1, policy_id: 'p', policy_version: 2, request_id: 'r', model: 'm', checks: ['regex'], denies_since_last: 0 });
    expect(deny).toMatchObject({ key_id: null, team: null });
    expect(AlertEventSchema.safeParse({ kind: 'budget_threshold', alert_id: 'a2', ts: 1, scope: 'team', team: 't', threshold_pct: 90, budget_usd: 1, spent_usd: 1, period: 'day', period_start: 0 }).success).toBe(false);
    expect(AlertEventSchema.safeParse({ kind: 'breaker_open', alert_id: 'a3', ts: 1, provider: 'openai', model: 'gpt', reason: '5 failures in 30 s', cooldown_s: 30 }).success).toBe(true);
  });

  it('policies, keys and teams carry their targets; the topics are versioned and created with the others', () => {
    const policy = PolicyBodySchema.parse({ id: 'p', checks: [{ type: 'max_tokens', max: 1 }], alerts: [{ type: 'webhook', url: 'http://127.0.0.1:1/h' }] });
    expect(policy.alerts).toHaveLength(1);
    expect(KeyRecordSchema.parse({ id: 'k', name: 'k', key_sha256: 'a'.repeat(64), team: 't', created_at: 0 }).alerts).toEqual([]);
    expect(AlertsTopic.name).toBe('gatehouse.alerts.v1');
    expect(AlertFailuresTopic.compacted).toBe(true);
    expect(ALL_TOPICS).toEqual(expect.arrayContaining([AlertsTopic, AlertFailuresTopic]));
  });
});

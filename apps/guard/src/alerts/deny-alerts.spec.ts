import type { Verdict } from '@gatehouse/contracts';
import { DenyAlertLimiter } from './deny-alerts';

const verdict = (over: Partial<Verdict> = {}): Verdict => ({
  verdict_id: 'v1', request_id: 'r1', ts: 0, policy_id: 'p', policy_version: 2, check_index: 0, check_type: 'regex', stage: 'input',
  action: 'deny', outcome: 'fail', mode: 'enforce', applied: true, score: null, details: ['regex'], async: false, key_id: 'k', team: 't', model: 'm',
  ...over,
});

describe('DenyAlertLimiter', () => {
  it('alerts on an applied deny, at most once per policy per interval, counting the folded denies into the next alert', () => {
    const l = new DenyAlertLimiter(60_000);
    expect(l.alertFor(verdict(), 0)).toMatchObject({ kind: 'guardrail_deny', alert_id: 'deny.v1', policy_id: 'p', policy_version: 2, request_id: 'r1', checks: ['regex'], denies_since_last: 0 });
    expect(l.alertFor(verdict({ verdict_id: 'v2' }), 1_000)).toBeNull();
    expect(l.alertFor(verdict({ verdict_id: 'v3' }), 2_000)).toBeNull();
    expect(l.alertFor(verdict({ verdict_id: 'v4', policy_id: 'q' }), 3_000)).toMatchObject({ policy_id: 'q', denies_since_last: 0 });
    expect(l.alertFor(verdict({ verdict_id: 'v5' }), 61_000)).toMatchObject({ alert_id: 'deny.v5', denies_since_last: 2 });
  });

  it('ignores what did not deny (monitor mode, errors, flags) and denies older than 10 minutes', () => {
    const l = new DenyAlertLimiter(0);
    expect(l.alertFor(verdict({ ts: 0 }), 10 * 60_000 + 1)).toBeNull();
    expect(l.alertFor(verdict({ applied: false, mode: 'monitor' }), 0)).toBeNull();
    expect(l.alertFor(verdict({ outcome: 'error' }), 0)).toBeNull();
    expect(l.alertFor(verdict({ action: 'flag' }), 0)).toBeNull();
  });
});

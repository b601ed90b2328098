import { breakerAlert } from './breaker-alerts';

const change = { target: 'azure-eu/meta/llama-3', at: 1_700_000_000_000, last_error: 'HTTP 503 {"error":"sk-live-secret echoed"}' };

describe('breaker alerts published by the ingress', () => {
  it('an opening names the target, the reason and the process, never the upstream error text', () => {
    const a = breakerAlert({ ...change, from: 'closed', to: 'open', reason: '5 consecutive failures' }, 'gw-1:7');
    expect(a).toEqual({
      kind: 'breaker_open', alert_id: 'breaker:azure-eu/meta/llama-3:open:gw-1:7:1700000000000', ts: change.at,
      policy_id: null, key_id: null, team: null, provider: 'azure-eu', model: 'meta/llama-3', reason: '5 consecutive failures', cooldown_s: null, replica: 'gw-1:7',
    });
    expect(JSON.stringify(a)).not.toContain('sk-live-secret');
  });

  it('a closing is an alert too; the move to half-open is not', () => {
    expect(breakerAlert({ ...change, from: 'half_open', to: 'closed', reason: 'probe succeeded' }, 'gw-1:7')).toMatchObject({ kind: 'breaker_closed', reason: 'probe succeeded' });
    expect(breakerAlert({ ...change, from: 'open', to: 'half_open', reason: 'cooldown elapsed' }, 'gw-1:7')).toBeNull();
  });
});

import type { AlertEvent } from '@gatehouse/contracts';
import { deliveryBody } from './alert-delivery';
import { alertText, maskedUrl } from './alert-text';

const budget: AlertEvent = { kind: 'budget_threshold', alert_id: 'b', ts: 0, policy_id: null, key_id: 'key_1', team: 'red', scope: 'key', threshold_pct: 80, budget_usd: 20, spent_usd: 16.004, period: 'day', period_start: 0 };

describe('alert rendering', () => {
  it('a webhook gets the event and its delivery id; Slack one line of text', () => {
    expect(JSON.parse(deliveryBody({ delivery_id: 'd1', target: { type: 'webhook', url: 'http://x/' }, alert: budget }))).toEqual({ ...budget, delivery_id: 'd1' });
    expect(JSON.parse(deliveryBody({ delivery_id: 'd1', target: { type: 'slack', url: 'http://x/' }, alert: budget }))).toEqual({ text: 'Gatehouse: key key_1 reached 80 % of its 20 USD day budget (16 USD spent)' });
    expect(alertText({ kind: 'breaker_open', alert_id: 'o', ts: 0, policy_id: null, key_id: null, team: null, provider: 'openai', model: 'gpt-4o', reason: '5 failures in 30 s', cooldown_s: 30, replica: 'gw-1:42' })).toBe('Gatehouse: circuit breaker opened for openai/gpt-4o: 5 failures in 30 s (first seen by gw-1:42)');
    expect(alertText({ kind: 'breaker_closed', alert_id: 'c', ts: 0, policy_id: null, key_id: null, team: null, provider: 'openai', model: 'gpt-4o', reason: 'probe succeeded', replica: 'gw-1:42' })).toBe('Gatehouse: circuit breaker closed again for openai/gpt-4o: probe succeeded');
  });

  it('shows a target URL by its origin only', () => {
    expect(maskedUrl('https://hooks.slack.com/services/T0/B0/secret')).toBe('https://hooks.slack.com/***');
    expect(maskedUrl('https://alerts.example/')).toBe('https://alerts.example');
    expect(maskedUrl('https://alerts.example/?token=s')).toBe('https://alerts.example/***');
  });
});

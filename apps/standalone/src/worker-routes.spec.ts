import { servedByWorker } from './worker-routes';

describe('which requests a standalone worker serves itself', () => {
  it.each(['/healthz', '/readyz', '/metrics', '/admin/keys', '/admin/keys?limit=5', '/admin/keys/key_123', '/admin/keys/key_123?x=1', '/admin/keys/key_123/usage', '/admin/teams', '/admin/teams/research', '/admin/teams/research/usage'])('serves %s', (url) => {
    expect(servedByWorker(url)).toBe(true);
  });

  it.each(['/analytics/usage?group_by=team', '/analytics/traces/abc', '/dashboard', '/dashboard/app.js', '/admin/policies', '/admin/policies/p1/test', '/admin/keysmith', '/admin/teamsters', '/internal/spend?team=x&from=0', '/', '/nope'])(
    'forwards %s to the primary',
    (url) => {
      expect(servedByWorker(url)).toBe(false);
    },
  );
});

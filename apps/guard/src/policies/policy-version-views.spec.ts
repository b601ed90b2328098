import type { PolicyBody, PolicyEvent } from '@gatehouse/contracts';
import { diffVersions, listVersions, summarize } from './policy-version-views';

const event = (version: number, patch: Partial<PolicyBody> = {}, actor?: string): PolicyEvent => ({
  id: 'p',
  version,
  created_at: 1000 + version,
  ...(actor ? { actor } : {}),
  policy: {
    id: 'p',
    mode: 'enforce',
    on_error: 'deny',
    scope: { teams: ['*'], keys: ['*'], models: ['*'] },
    checks: [{ type: 'keywords', stage: 'input', action: 'deny', words: ['alpha'], case_sensitive: false }],
    ...patch,
  },
});

describe('policy version views', () => {
  it('summarizes mode, on_error and each check', () => {
    const e = event(1, { mode: 'monitor', checks: [...event(1).policy.checks, { type: 'pii', stage: 'input', action: 'redact', entities: ['email'], custom: [], phone_regions: ['US'], context: true }] });
    expect(summarize(e)).toBe('monitor, on_error deny; 2 checks: keywords/deny, pii/redact');
  });

  it('lists each version with its actor (null when unknown) and the top-level fields it changed', () => {
    const list = listVersions([event(1, {}, 'config'), event(2, { mode: 'monitor' }, 'admin'), event(3, { mode: 'monitor', scope: { teams: ['a'], keys: ['*'], models: ['*'] } })]);
    expect(list.map((v) => [v.version, v.actor, v.changed])).toEqual([
      [1, 'config', ['description', 'mode', 'on_error', 'scope', 'checks']],
      [2, 'admin', ['mode']],
      [3, null, ['scope']],
    ]);
    expect(list[0]).toMatchObject({ created_at: 1001, summary: 'enforce, on_error deny; 1 check: keywords/deny' });
  });

  it('diffs two bodies as JSON Patch operations with the old values', () => {
    const to = event(3, { description: 'new', mode: 'monitor', checks: [{ type: 'keywords', stage: 'input', action: 'deny', words: ['beta'], case_sensitive: false }] });
    const changes = diffVersions(event(1), to);
    expect(changes).toEqual(expect.arrayContaining([
      { op: 'replace', path: '/mode', value: 'monitor', old_value: 'enforce' },
      { op: 'replace', path: '/checks/0/words/0', value: 'beta', old_value: 'alpha' },
      { op: 'add', path: '/description', value: 'new' },
    ]));
    expect(changes).toHaveLength(3);
    expect(diffVersions(to, event(1))).toEqual(expect.arrayContaining([{ op: 'remove', path: '/description', old_value: 'new' }]));
    expect(diffVersions(to, to)).toEqual([]);
  });
});

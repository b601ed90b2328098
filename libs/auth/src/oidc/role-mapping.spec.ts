import { roleFromClaims } from './role-mapping';

const oidc = {
  role_claim: 'groups',
  roles: {
    'gh-admins': { role: 'admin' as const, teams: [] },
    'search-leads': { role: 'team-admin' as const, teams: ['search'] },
    'ads-leads': { role: 'team-admin' as const, teams: ['ads'] },
    everyone: { role: 'viewer' as const, teams: ['search', 'ads', 'platform'] },
  },
};

describe('roleFromClaims', () => {
  it('maps a single string claim value', () => {
    expect(roleFromClaims({ groups: 'search-leads' }, oidc)).toEqual({ role: 'team-admin', teams: ['search'] });
  });

  it('takes the strongest role and the union of its grants’ teams', () => {
    expect(roleFromClaims({ groups: ['everyone', 'search-leads', 'ads-leads'] }, oidc)).toEqual({ role: 'team-admin', teams: ['search', 'ads'] });
    expect(roleFromClaims({ groups: ['everyone', 'gh-admins'] }, oidc)).toEqual({ role: 'admin', teams: [] });
  });

  it('grants nothing for unmapped values, a missing claim or a claim of the wrong type', () => {
    expect(roleFromClaims({ groups: ['contractors'] }, oidc)).toBeNull();
    expect(roleFromClaims({}, oidc)).toBeNull();
    expect(roleFromClaims({ groups: 42 }, oidc)).toBeNull();
  });
});

import { parseConfig } from './load';

const oidc = (extra: string) => `auth:
  oidc:
    issuer: https://login.example.com/realms/acme
    client_id: gatehouse
    client_secret: \${OIDC_SECRET}
    role_claim: groups
${extra}`;

describe('auth.oidc in the config', () => {
  it('accepts a provider with a claim-to-role mapping and fills the defaults', () => {
    const cfg = parseConfig(oidc('    roles:\n      platform-admins: { role: admin }\n      search-leads: { role: team-admin, teams: [search] }\n'), { OIDC_SECRET: 's3cret' }, 'f');
    expect(cfg.auth.oidc).toMatchObject({ client_secret: 's3cret', scopes: ['openid', 'email', 'profile'], session_ttl_s: 28800, roles: { 'search-leads': { role: 'team-admin', teams: ['search'] } } });
  });

  it('is optional', () => {
    expect(parseConfig('providers: {}\n', {}, 'f').auth.oidc).toBeUndefined();
  });

  it.each([
    ['    roles:\n      leads: { role: owner, teams: [a] }\n', 'auth.oidc.roles.leads.role'],
    ['    roles:\n      leads: { role: viewer }\n', 'auth.oidc.roles.leads.teams'],
    ['    roles:\n      admins: { role: admin, teams: [a] }\n', 'auth.oidc.roles.admins.teams'],
    ['    roles: {}\n', 'auth.oidc.roles'],
    ['    scopes: [email]\n    roles:\n      a: { role: admin }\n', 'auth.oidc.scopes'],
    ['    roles:\n      a: { role: admin }\n    session_ttl_s: 5\n', 'auth.oidc.session_ttl_s'],
    ['    roles:\n      a: { role: admin }\n    cookie: x\n', 'auth.oidc.cookie: unknown field'],
  ])('fails fast naming the field: %#', (extra, field) => {
    expect(() => parseConfig(oidc(extra), { OIDC_SECRET: 's' }, 'f')).toThrow(field);
  });

  it('names a missing issuer', () => {
    expect(() => parseConfig('auth:\n  oidc: { client_id: a, client_secret: b, role_claim: g, roles: { x: { role: admin } } }\n', {}, 'f')).toThrow('auth.oidc.issuer');
  });
});

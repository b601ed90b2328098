import { CookieSealer, readCookie } from './sealed-cookie';

describe('CookieSealer', () => {
  const sealer = new CookieSealer('a-session-secret-of-enough-length-000');

  it('opens what it sealed, until it expires', () => {
    const sealed = sealer.seal('gh_session', { role: 'viewer', teams: ['a'] }, 1000, 0);
    expect(sealer.open('gh_session', sealed, 999)).toEqual({ role: 'viewer', teams: ['a'] });
    expect(sealer.open('gh_session', sealed, 1000)).toBeNull();
  });

  it('refuses a value tampered with, moved to another cookie, or sealed under another secret', () => {
    const sealed = sealer.seal('gh_session', { role: 'viewer' }, 60_000);
    const raw = Buffer.from(sealed, 'base64url');
    raw[raw.length - 1] ^= 1;
    expect(sealer.open('gh_session', raw.toString('base64url'))).toBeNull();
    expect(sealer.open('gh_oidc_flow', sealed)).toBeNull();
    expect(new CookieSealer('another-secret-of-enough-length-0000').open('gh_session', sealed)).toBeNull();
    expect(sealer.open('gh_session', 'garbage')).toBeNull();
  });

  it('reads one cookie out of a Cookie header', () => {
    expect(readCookie('a=1; gh_session=xyz; b=2', 'gh_session')).toBe('xyz');
    expect(readCookie('a=1', 'gh_session')).toBeUndefined();
    expect(readCookie(undefined, 'gh_session')).toBeUndefined();
  });
});

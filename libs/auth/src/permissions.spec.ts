import { denial } from './permissions';
import type { Principal } from './principal';

const admin: Principal = { actor: 'admin', role: 'admin', teams: null, source: 'admin-token' };
const teamAdminA: Principal = { actor: 'token:a', role: 'team-admin', teams: ['a'], source: 'service-token' };
const viewerA: Principal = { actor: 'token:v', role: 'viewer', teams: ['a', 'c'], source: 'service-token' };

describe('denial', () => {
  it('lets an admin do everything, on every team and globally', () => {
    expect(denial(admin, 'keys:write', { kind: 'teams', teams: ['b'] })).toBeNull();
    expect(denial(admin, 'config:write', { kind: 'global' })).toBeNull();
    expect(denial(admin, 'tokens:write', { kind: 'global' })).toBeNull();
  });

  it('lets a team-admin manage its own teams only, naming the team it lacks', () => {
    expect(denial(teamAdminA, 'keys:write', { kind: 'teams', teams: ['a'] })).toBeNull();
    expect(denial(teamAdminA, 'keys:write', { kind: 'teams', teams: ['a', 'b'] })).toBe('requires keys:write on team "b"');
    expect(denial(teamAdminA, 'policies:write', { kind: 'teams', teams: ['*'] })).toBe('requires policies:write on team "*"');
    expect(denial(teamAdminA, 'analytics:read', { kind: 'caller' })).toBeNull();
  });

  it('refuses a team-admin what only an admin may do, naming the permission', () => {
    expect(denial(teamAdminA, 'tokens:write', { kind: 'global' })).toBe('requires tokens:write (role team-admin does not have it)');
    expect(denial(teamAdminA, 'keys:read', { kind: 'global' })).toBe('requires keys:read on every team (team-admin of "a" only)');
  });

  it('lets a viewer read its teams’ analytics and nothing else', () => {
    expect(denial(viewerA, 'analytics:read', { kind: 'teams', teams: ['c'] })).toBeNull();
    expect(denial(viewerA, 'analytics:read', { kind: 'teams', teams: ['b'] })).toBe('requires analytics:read on team "b"');
    expect(denial(viewerA, 'keys:write', { kind: 'teams', teams: ['a'] })).toBe('requires keys:write (role viewer does not have it)');
    expect(denial(viewerA, 'audit:read', { kind: 'caller' })).toBe('requires audit:read (role viewer does not have it)');
  });
});

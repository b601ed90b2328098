import type { Role } from '@gatehouse/contracts';

/** How a caller proved who it is. */
export type PrincipalSource = 'admin-token' | 'service-token' | 'session' | 'analytics-key';

/** Who is calling an admin or analytics route: a role over all teams (teams null) or over a list of teams. */
export interface Principal {
  /** Recorded in the audit log: "admin" (the bootstrap admin token), "token:<name>", "key:<name>", "oidc:<subject>". */
  actor: string;
  role: Role;
  teams: readonly string[] | null;
  source: PrincipalSource;
}

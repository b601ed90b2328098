/** The console's calls: same-origin admin and analytics APIs, the token from session storage (never the URL). */

const TOKEN = 'gatehouse.console.token';
const WHO = 'gatehouse.console.who';

export type Role = 'admin' | 'team-admin' | 'viewer';

export interface Session {
  /** The bearer token typed at sign-in; '' for an SSO session (the HttpOnly cookie goes with every call). */
  token: string;
  role: Role;
  /** The teams a team-admin or viewer acts on (null: every team). */
  teams: string[] | null;
  actor: string;
}

interface Who {
  role: Role;
  teams: string[] | null;
  actor: string;
}

export function session(): Session | null {
  const who = sessionStorage.getItem(WHO);
  if (!who) return null;
  return { token: sessionStorage.getItem(TOKEN) ?? '', ...(JSON.parse(who) as Who) };
}

/** Forgets the token; an SSO session also ends its cookie (resolved once the server cleared it, so the sign-in page cannot resume it). */
export async function signOut(): Promise<void> {
  const sso = session()?.token === '';
  sessionStorage.removeItem(TOKEN);
  sessionStorage.removeItem(WHO);
  if (sso) await fetch('/auth/oidc/logout', { method: 'POST' });
}

/** An error answer of the API: its status, message and the field it names. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly param: string | null,
  ) {
    super(message);
  }
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  token?: string;
}

export async function call<T>(path: string, opts: CallOptions = {}): Promise<{ body: T; headers: Headers }> {
  const token = opts.token ?? session()?.token ?? '';
  const headers: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(opts.headers ?? {}) };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method: opts.method ?? 'GET', headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!res.ok) {
    const err = (body as { error?: { message?: string; param?: string } } | null)?.error;
    const message = err?.message ?? (body as { message?: string } | null)?.message ?? `HTTP ${res.status}`;
    throw new ApiError(res.status, message, err?.param ?? null);
  }
  return { body: body as T, headers: res.headers };
}

export const get = async <T>(path: string) => (await call<T>(path)).body;

function remember(token: string, who: Who): Role {
  if (token) sessionStorage.setItem(TOKEN, token);
  sessionStorage.setItem(WHO, JSON.stringify({ role: who.role, teams: who.teams, actor: who.actor }));
  return who.role;
}

/** Signs in with a token: the server says what it is (admin or service token, or a team key with analytics: true). */
export async function signIn(token: string): Promise<Role> {
  let who: Who;
  try {
    who = (await call<Who>('/console/session', { token })).body;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) throw new ApiError(401, 'not an admin token, a service token or a valid key', null);
    throw e;
  }
  return remember(token, who);
}

/** What the sign-in page offers: SSO (auth.oidc configured), and whether a session cookie is already there (after the SSO redirect). */
export async function signInOptions(): Promise<{ oidc: boolean; session: boolean }> {
  const res = await fetch('/auth/options');
  const body = res.ok ? ((await res.json()) as { oidc?: boolean; session?: boolean }) : {};
  return { oidc: body.oidc === true, session: body.session === true };
}

/** Signs this tab in with the session cookie. */
export async function resumeSso(): Promise<Role | null> {
  const res = await fetch('/console/session');
  if (!res.ok) return null;
  return remember('', (await res.json()) as Who);
}

/** The console's calls: same-origin admin and analytics APIs, the token from session storage (never the URL). */

const TOKEN = 'gatehouse.console.token';
const ROLE = 'gatehouse.console.role';
const TEAM = 'gatehouse.console.team';

export type Role = 'admin' | 'team';

export interface Session {
  token: string;
  role: Role;
  /** The team of a team key (its analytics are limited to it). */
  team: string | null;
}

export function session(): Session | null {
  const token = sessionStorage.getItem(TOKEN);
  const role = sessionStorage.getItem(ROLE) as Role | null;
  return token && role ? { token, role, team: sessionStorage.getItem(TEAM) } : null;
}

export function signOut(): void {
  sessionStorage.removeItem(TOKEN);
  sessionStorage.removeItem(ROLE);
  sessionStorage.removeItem(TEAM);
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
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...(opts.headers ?? {}) };
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

/** Signs in: the server says whether the token is the admin token or a team key allowed to read analytics. */
export async function signIn(token: string): Promise<Role> {
  let who: { role: Role; team: string | null };
  try {
    who = (await call<{ role: Role; team: string | null }>('/console/session', { token })).body;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) throw new ApiError(401, 'not an admin token or a valid key', null);
    throw e;
  }
  sessionStorage.setItem(TOKEN, token);
  sessionStorage.setItem(ROLE, who.role);
  if (who.team) sessionStorage.setItem(TEAM, who.team);
  return who.role;
}

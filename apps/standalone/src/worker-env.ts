import { z } from 'zod';

/** Set by the standalone primary on the workers it forks: where its internal HTTP server listens. */
export const PRIMARY_URL_ENV = 'GATEHOUSE_PRIMARY_URL';

const PrimaryUrl = z.string().regex(/^http:\/\/127\.0\.0\.1:\d+$/, 'must be http://127.0.0.1:<port>');

export function primaryUrlFrom(env: NodeJS.ProcessEnv): string {
  const r = PrimaryUrl.safeParse(env[PRIMARY_URL_ENV]);
  if (!r.success) throw new Error(`${PRIMARY_URL_ENV}: ${r.error.issues[0]?.message ?? 'invalid'} (set by the standalone primary; do not start workers by hand)`);
  return r.data;
}

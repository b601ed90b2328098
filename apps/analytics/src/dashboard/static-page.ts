import type { FastifyReply } from 'fastify';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Strict CSP for the dashboard and the console: only same-origin scripts, styles and requests, no framing. */
export const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** Sends one file of a static page's folder with the security headers. */
export async function sendStatic(reply: FastifyReply, dir: string, file: string, type: string): Promise<void> {
  const body = await readFile(join(dir, file), 'utf8');
  reply.headers({ ...SECURITY_HEADERS, 'content-type': type, 'cache-control': 'no-cache' }).send(body);
}

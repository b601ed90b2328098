import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** The fields of a Google service-account key file the token exchange needs. */
const ServiceAccountSchema = z.object({
  type: z.literal('service_account', { error: 'must be "service_account" (this is not a service-account key)' }),
  client_email: z.string().email(),
  private_key: z.string().includes('PRIVATE KEY', { error: 'must be a PEM private key' }),
  private_key_id: z.string().optional(),
  token_uri: z.string().url().optional(),
});
export type ServiceAccount = z.infer<typeof ServiceAccountSchema>;

/**
 * Reads and checks a service-account key file. Errors name the file and the problem, never the
 * file's contents (they hold the private key).
 */
export function readServiceAccount(path: string): ServiceAccount {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${path} is not JSON`);
  }
  const parsed = ServiceAccountSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${path}: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

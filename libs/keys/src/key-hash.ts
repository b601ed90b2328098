import { createHash } from 'node:crypto';

/**
 * Keys are stored and looked up by the SHA-256 of the secret only. The lookup compares digests,
 * never secrets, so its timing tells a caller nothing about a stored secret.
 */
export const sha256Hex = (secret: string): string => createHash('sha256').update(secret).digest('hex');

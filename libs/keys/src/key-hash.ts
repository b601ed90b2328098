import { hash } from 'node:crypto';

/**
 * Keys are stored and looked up by the SHA-256 of the secret only. The lookup compares digests,
 * never secrets, so its timing tells a caller nothing about a stored secret. crypto.hash (one call,
 * no Hash object) runs on every authenticated request: ~0.4 us against ~0.95 us for createHash.
 */
export const sha256Hex = (secret: string): string => hash('sha256', secret, 'hex');

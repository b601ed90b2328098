import type { ProviderConfig } from '@gatehouse/config/schema';

/** scheme://host[:port] of a configured base URL (the connection pool key). */
export const originOf = (baseUrl: string): string => new URL(baseUrl).origin;

/** Base URL without trailing slashes, so paths can be appended with a single "/". */
export const trimBase = (baseUrl: string): string => baseUrl.replace(/\/+$/, '');

/** JSON headers plus the operator's static extra headers from config. */
export function jsonHeaders(config: ProviderConfig, auth: Record<string, string>): Record<string, string> {
  return { 'content-type': 'application/json', ...config.headers, ...auth };
}

import type { ProviderConfig } from '../provider-config';

/** Base URL without trailing slashes, so paths can be appended with a single "/". */
export const trimBase = (baseUrl: string): string => baseUrl.replace(/\/+$/, '');

/** JSON headers plus the operator's static extra headers from config. */
export function jsonHeaders(config: Pick<ProviderConfig, 'headers'>, auth: Record<string, string>): Record<string, string> {
  return { 'content-type': 'application/json', ...config.headers, ...auth };
}

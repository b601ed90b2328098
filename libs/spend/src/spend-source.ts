import { request } from 'undici';
import type { ScopeKind } from './scopes';

/**
 * Where a missing budget counter's spend is read from (port): the analytics app, which owns
 * ClickHouse. Adapters: HTTP to the analytics app's GET /internal/spend (ingress, standalone workers),
 * or the analytics service in the same process (single-process standalone).
 */
export interface SpendSource {
  /** USD spent by the key or team from `from` (epoch ms) until now, as recorded in the traces. */
  spentSince(kind: ScopeKind, id: string, from: number): Promise<number>;
}

/** GET <analytics>/internal/spend?key_id=|team=&from= with the admin token; a short timeout (it runs on the request path). */
export class HttpSpendSource implements SpendSource {
  constructor(
    private readonly baseUrl: string,
    private readonly adminToken: string,
    private readonly timeoutMs = 2000,
  ) {}

  async spentSince(kind: ScopeKind, id: string, from: number): Promise<number> {
    const q = new URLSearchParams({ [kind === 'key' ? 'key_id' : 'team']: id, from: String(from) });
    const res = await request(`${this.baseUrl.replace(/\/$/, '')}/internal/spend?${q}`, {
      headers: { authorization: `Bearer ${this.adminToken}` },
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`analytics answered ${res.statusCode}: ${text.slice(0, 200)}`);
    const spend = Number((JSON.parse(text) as { spend_usd?: unknown }).spend_usd);
    if (!Number.isFinite(spend) || spend < 0) throw new Error(`analytics answered an invalid spend: ${text.slice(0, 200)}`);
    return spend;
  }
}

/** Lets the analytics module of the same process offer its in-process spend source (single-process standalone). */
export class LocalSpendSource {
  source: SpendSource | null = null;
}

import type { Logger } from '@gatehouse/observability';
import { StoreErrorReporter } from './cache-metrics';
import { CacheEntryMessage, isCacheMessage } from './ipc-cache-messages';
import { MemoryResponseCache } from './memory-response-cache';
import type { ResponseCache } from './response-cache.port';

type Channel = Pick<NodeJS.Process, 'on' | 'off' | 'connected'> & { send?: NodeJS.Process['send'] };

/**
 * A standalone worker's cache without Redis: a replica in this worker's memory. What it stores is
 * also sent to the primary, which forwards it to every other worker; entries from the others arrive
 * the same way. Lookups are local (no IPC round trip on the request path). A worker that starts
 * later (a replacement) begins empty.
 */
export class IpcReplicaResponseCache implements ResponseCache {
  readonly kind = 'primary-ipc';
  private readonly local: MemoryResponseCache;
  private readonly errors: StoreErrorReporter;
  private readonly onMessage = (raw: unknown) => {
    if (!isCacheMessage(raw)) return;
    const parsed = CacheEntryMessage.safeParse(raw);
    if (!parsed.success) return;
    const ttlMs = parsed.data.expires_at - Date.now();
    if (ttlMs > 0) this.local.setMs(parsed.data.key, parsed.data.value, ttlMs);
  };

  constructor(
    maxBytes: number,
    logger: Logger,
    private readonly channel: Channel = process,
  ) {
    this.local = new MemoryResponseCache(maxBytes);
    this.errors = new StoreErrorReporter('primary-ipc', logger);
    channel.on('message', this.onMessage);
  }

  get(key: string): Promise<string | null> {
    return this.local.get(key);
  }

  set(key: string, value: string, ttlS: number): void {
    this.local.set(key, value, ttlS);
    if (!this.channel.connected || !this.channel.send) return;
    const m: CacheEntryMessage = { gh_cache: 'put', key, value, expires_at: Date.now() + ttlS * 1000 };
    try {
      this.channel.send(m, undefined, undefined, (err: Error | null) => {
        if (err) this.errors.report('set', err);
      });
    } catch (e) {
      this.errors.report('set', e);
    }
  }

  async close(): Promise<void> {
    this.channel.off('message', this.onMessage);
    await this.local.close();
  }
}

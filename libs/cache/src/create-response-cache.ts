import cluster from 'node:cluster';
import type { GatehouseConfig } from '@gatehouse/config';
import type { Logger } from '@gatehouse/observability';
import type { RedisLink } from '@gatehouse/redis';
import { entryExpiry } from './cached-response';
import { IpcReplicaResponseCache } from './ipc-replica-response-cache';
import { MemoryResponseCache } from './memory-response-cache';
import type { ResponseCache } from './response-cache.port';
import { TieredResponseCache } from './tiered-response-cache';

/**
 * Redis when there is a link (REDIS_URL is set), with a short-lived copy of recently used entries in
 * this process; else in a standalone worker a replica kept equal across all workers
 * through the primary (IPC); else this process's memory (standalone with one process, or an ingress
 * without Redis, where each worker process then has its own entries).
 */
export function createResponseCache(link: RedisLink | null, config: GatehouseConfig, standaloneWorker: boolean, logger: Logger): ResponseCache {
  const { lookup_timeout_ms, memory_max_bytes, key_index_max_keys } = config.cache;
  if (link) {
    const { RedisResponseCache } = require('./redis-response-cache') as typeof import('./redis-response-cache');
    const redis = new RedisResponseCache({ link, timeoutMs: lookup_timeout_ms, logger, keyIndexMaxKeys: key_index_max_keys });
    return new TieredResponseCache(redis, new MemoryResponseCache(memory_max_bytes), entryExpiry);
  }
  if (standaloneWorker && cluster.isWorker) return new IpcReplicaResponseCache(memory_max_bytes, logger);
  return new MemoryResponseCache(memory_max_bytes);
}

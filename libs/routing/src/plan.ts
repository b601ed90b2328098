import type { ModelConfig, Target } from '@gatehouse/config';
import { LatencyStats, targetKey } from './latency-stats';

/**
 * The order in which a request tries its model's targets:
 * - fallback: as listed;
 * - loadbalance: a weighted random first pick, then the rest by weighted random order (so failover still works);
 * - least-latency: lowest moving-average latency first (unmeasured targets first, to measure them).
 * Each target is tried 1 + retry.attempts times (on the retryable statuses) before the next.
 */
export function orderTargets(model: ModelConfig, stats: LatencyStats, random: () => number = Math.random): Target[] {
  const targets = model.targets;
  if (targets.length === 1) return targets;
  switch (model.strategy) {
    case 'fallback':
      return targets;
    case 'least-latency':
      return [...targets].sort((a, b) => stats.score(targetKey(a.provider, a.model)) - stats.score(targetKey(b.provider, b.model)));
    case 'loadbalance': {
      const pool = [...targets];
      const out: Target[] = [];
      while (pool.length) {
        const total = pool.reduce((s, t) => s + t.weight, 0);
        let r = random() * total;
        let i = 0;
        while (i < pool.length - 1 && r >= pool[i].weight) r -= pool[i++].weight;
        out.push(pool.splice(i, 1)[0]);
      }
      return out;
    }
  }
}

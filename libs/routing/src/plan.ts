import type { ModelConfig, Target, TargetEntry } from '@gatehouse/config';
import { LatencyStats, targetKey } from './latency-stats';

export type ModelTable = Readonly<Record<string, ModelConfig>>;

const isLeaf = (t: TargetEntry): t is Target => 'provider' in t;

/**
 * The order in which a request tries its model's leaf targets:
 * - fallback: as listed;
 * - loadbalance: a weighted random first pick, then the rest by weighted random order (so failover still works);
 * - least-latency: lowest moving-average latency first (unmeasured targets first, to measure them).
 * A `{ group: alias }` entry takes that alias's targets, ordered by that alias's own strategy, at its
 * place (config validation guarantees the alias exists and that groups form no cycle).
 */
export function orderTargets(model: ModelConfig, stats: LatencyStats, random: () => number = Math.random, models: ModelTable = {}): Target[] {
  const ordered = orderEntries(model, stats, random, models);
  let leaves = true;
  for (const t of ordered) if (!isLeaf(t)) leaves = false;
  if (leaves) return ordered as Target[];
  const out: Target[] = [];
  for (const t of ordered) {
    if (isLeaf(t)) out.push(t);
    else for (const leaf of orderTargets(models[t.group], stats, random, models)) out.push(leaf);
  }
  return out;
}

function orderEntries(model: ModelConfig, stats: LatencyStats, random: () => number, models: ModelTable): readonly TargetEntry[] {
  const targets = model.targets;
  if (targets.length === 1) return targets;
  switch (model.strategy) {
    case 'fallback':
      return targets;
    case 'least-latency':
      return [...targets].sort((a, b) => score(a, stats, models) - score(b, stats, models));
    case 'loadbalance': {
      const pool = [...targets];
      const out: TargetEntry[] = [];
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

/** A leaf's moving-average latency; a group's is its fastest member's. */
function score(t: TargetEntry, stats: LatencyStats, models: ModelTable): number {
  if (isLeaf(t)) return stats.score(targetKey(t.provider, t.model));
  let best = Infinity;
  for (const m of models[t.group].targets) best = Math.min(best, score(m, stats, models));
  return best;
}

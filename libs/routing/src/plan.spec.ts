import { ModelConfigSchema } from '@gatehouse/config';
import { LatencyStats } from './latency-stats';
import { orderTargets } from './plan';

const model = (strategy: string, weights = [1, 1, 1]) =>
  ModelConfigSchema.parse({
    strategy,
    targets: weights.map((w, i) => ({ provider: `p${i}`, model: `m${i}`, weight: w })),
  });

describe('orderTargets', () => {
  it('keeps the listed order for fallback', () => {
    expect(orderTargets(model('fallback'), new LatencyStats()).map((t) => t.provider)).toEqual(['p0', 'p1', 'p2']);
  });

  it('spreads loadbalance first picks by weight and keeps every target as a fallback', () => {
    const m = model('loadbalance', [3, 1, 0.0001]);
    const counts: Record<string, number> = { p0: 0, p1: 0, p2: 0 };
    let seed = 1;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < 4000; i++) {
      const order = orderTargets(m, new LatencyStats(), rnd);
      expect(order).toHaveLength(3);
      counts[order[0].provider]++;
    }
    expect(counts.p0 / 4000).toBeGreaterThan(0.7);
    expect(counts.p0 / 4000).toBeLessThan(0.8);
    expect(counts.p2).toBeLessThan(5);
  });

  it('puts the fastest measured target first for least-latency', () => {
    const stats = new LatencyStats();
    stats.record('p0/m0', 300);
    stats.record('p1/m1', 50);
    stats.record('p2/m2', 120);
    expect(orderTargets(model('least-latency'), stats).map((t) => t.provider)).toEqual(['p1', 'p2', 'p0']);
  });
});

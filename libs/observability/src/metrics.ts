import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** One registry per process; every app exposes it at GET /metrics. */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'gatehouse_process_' });

const cache = new Map<string, unknown>();
function once<T>(name: string, make: () => T): T {
  let m = cache.get(name) as T | undefined;
  if (!m) {
    m = make();
    cache.set(name, m);
  }
  return m;
}

export const counter = (name: string, help: string, labelNames: string[] = []) =>
  once(name, () => new Counter({ name, help, labelNames, registers: [registry] }));
export const gauge = (name: string, help: string, labelNames: string[] = []) =>
  once(name, () => new Gauge({ name, help, labelNames, registers: [registry] }));
export const histogram = (name: string, help: string, labelNames: string[] = [], buckets?: number[]) =>
  once(name, () => new Histogram({ name, help, labelNames, registers: [registry], ...(buckets ? { buckets } : {}) }));

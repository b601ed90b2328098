import { median, percentile, sortedCopy, spread } from './stats';
import type { LatencyResult } from './latency';
import type { StreamRound } from './streams';
import { bestWithin, pairedRatio, type ThroughputResult, type ThroughputStep } from './throughput';

/**
 * The targets of issue 15 (the lean path) and issue 8 (spend control). Latency and streams are
 * judged against the bare proxy of the same run: on a 2-core machine the bare proxy itself adds
 * 1–3 ms at p99, so a fixed bound would measure the machine.
 */
export const TARGETS = {
  /** Added p99 at c=1 ≤ the bare proxy's added p99 + this (median over the interleaved repeats). */
  latencyP99OverBareMs: 0.5,
  throughputRatio: 0.7,
  /** Ingress CPU per request ≤ this × the bare proxy's (at each one's best step). */
  cpuRatio: 1.4,
  /** Added TTFB p99 of the concurrent streams ≤ this × the bare proxy's added TTFB p99. */
  streamsTtfbRatio: 1.3,
  rssMb: 150,
  p99BoundMs: 10,
  cacheLookupP99Ms: 0.3,
  limitsAddedP99Ms: 0.3,
  limitsThroughputLoss: 0.1,
} as const;

const GATEWAYS = ['gateway', 'gateway-translate'] as const;
const f = (n: number, digits = 3) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const range = (values: number[], digits = 3) => {
  const s = spread(values);
  return `${f(s.min, digits)} … ${f(s.max, digits)}`;
};
const row = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
const rpsOf = (s: ThroughputStep) => s.rps;
const cpuOf = (s: ThroughputStep) => s.cpuUsPerRequest;
/** "median (min … max, n rounds)" of a paired ratio. */
const pairedText = (p: ReturnType<typeof pairedRatio>, unit = '', digits = 2) => `${f(p.median, digits)}${unit} (${f(p.min, digits)} … ${f(p.max, digits)}, ${p.rounds} rounds)`;

/** How the throughput verdicts are read (printed under the tables that use them). */
const PAIRED_NOTE =
  'Verdict ratios are paired: after the ramp, the compared targets run again, taking turns, for several rounds; in every round each runs at each of their best ramp levels and keeps its best step; the value is the median over rounds of the ratio within each round (spread: min … max). The ramp\'s own ratio (of two maxima from single steps) is shown beside it.';

export interface Verdict {
  metric: string;
  variant: string;
  value: string;
  target: string;
  ok: boolean;
}

export function latencySection(r: LatencyResult, verdicts: Verdict[]): string[] {
  const pooled = (name: string) => sortedCopy(r.samples[name]);
  const direct = pooled('direct');
  const lines = [
    '### Added latency, concurrency 1 (non-streaming chat completion)',
    '',
    'added = percentile(target) − percentile(direct to the mock), all samples pooled; "spread" is the same difference in each of the 3 interleaved repeats (min … max).',
    '',
    row(['target', 'requests', 'p50 ms', 'p99 ms', 'added p50 ms', 'added p99 ms', 'added p50 spread', 'added p99 spread']),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
  ];
  for (const name of Object.keys(r.samples)) {
    const s = pooled(name);
    const addP50 = percentile(s, 50) - percentile(direct, 50);
    const addP99 = percentile(s, 99) - percentile(direct, 99);
    const perRepeat = (p: 'p50' | 'p99') => r.repeats.map((x) => x[name][p] - x.direct[p]);
    const isDirect = name === 'direct';
    lines.push(row([name, s.length, f(percentile(s, 50)), f(percentile(s, 99)), isDirect ? '—' : f(addP50), isDirect ? '—' : f(addP99), isDirect ? '—' : range(perRepeat('p50')), isDirect ? '—' : range(perRepeat('p99'))]));
    if ((GATEWAYS as readonly string[]).includes(name)) {
      const overBare = median(r.repeats.map((x) => x[name].p99 - x.bare.p99));
      verdicts.push({ metric: 'added latency p99 (c=1) minus the bare proxy\'s', variant: name, value: `${f(overBare)} ms`, target: `≤ ${TARGETS.latencyP99OverBareMs} ms`, ok: overBare <= TARGETS.latencyP99OverBareMs });
    }
  }
  return lines;
}

export function throughputSection(tp: ThroughputResult, names: string[], verdicts: Verdict[]): string[] {
  const { steps, groups } = tp;
  const best = new Map(names.map((n) => [n, bestWithin(steps, n, TARGETS.p99BoundMs)]));
  const rps = (n: string) => best.get(n)?.rps ?? NaN;
  const lines = [
    `### Max throughput with p99 ≤ ${TARGETS.p99BoundMs} ms (autocannon, closed loop, connection counts ramped)`,
    '',
    'CPU µs/req = user+system CPU time of the process serving the target (mock, bare proxy or ingress) per request at that step; it is less sensitive to other load on the machine than req/s.',
    '',
    row(['target', 'max req/s', 'at connections', 'p50 ms', 'p99 ms', 'vs bare proxy', 'vs direct', 'CPU µs/req', 'CPU vs bare']),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
  ];
  for (const n of names) {
    const b = best.get(n);
    const cpu = b?.cpuUsPerRequest ?? NaN;
    lines.push(row([n, f(rps(n), 0), b?.connections ?? 'n/a', b?.p50 ?? 'n/a', b?.p99 ?? 'n/a', f(rps(n) / rps('bare'), 2), f(rps(n) / rps('direct'), 2), f(cpu, 0), n === 'direct' ? '—' : f(cpu / (best.get('bare')?.cpuUsPerRequest ?? NaN), 2)]));
  }
  lines.push('', PAIRED_NOTE, '', row(['target vs bare proxy', 'throughput, paired', 'throughput, ramp', 'CPU per request, paired', 'CPU per request, ramp']), row(['---', '---:', '---:', '---:', '---:']));
  for (const n of GATEWAYS) {
    const tpPaired = pairedRatio(groups, n, 'bare', rpsOf);
    const cpuPaired = pairedRatio(groups, n, 'bare', cpuOf);
    const cpuRamp = (best.get(n)?.cpuUsPerRequest ?? NaN) / (best.get('bare')?.cpuUsPerRequest ?? NaN);
    lines.push(row([n, pairedText(tpPaired), f(rps(n) / rps('bare'), 2), pairedText(cpuPaired, '×'), `${f(cpuRamp, 2)}×`]));
    verdicts.push({ metric: `throughput vs bare proxy (p99 ≤ ${TARGETS.p99BoundMs} ms, paired)`, variant: n, value: `${f(tpPaired.median * 100, 0)} %`, target: `≥ ${TARGETS.throughputRatio * 100} %`, ok: tpPaired.median >= TARGETS.throughputRatio });
    verdicts.push({ metric: 'CPU per request vs bare proxy (paired)', variant: n, value: `${f(cpuPaired.median, 2)}×`, target: `≤ ${TARGETS.cpuRatio}×`, ok: cpuPaired.median <= TARGETS.cpuRatio });
  }
  lines.push('', 'Every step (req/s, p99 ms) per connection count:', '');
  const levels = [...new Set(steps.map((s) => s.connections))].sort((a, b) => a - b);
  lines.push(row(['target', ...levels.map((l) => `c=${l}`)]), row(['---', ...levels.map(() => '---:')]));
  for (const n of names) {
    lines.push(row([n, ...levels.map((l) => {
      const s = steps.find((x) => x.target === n && x.connections === l);
      return s ? `${f(s.rps, 0)} (${s.p99})${s.failed ? ` ${s.failed} failed` : ''}` : '—';
    })]));
  }
  return lines;
}

export function streamsSection(rounds: StreamRound[], names: string[], concurrency: number, verdicts: Verdict[]): string[] {
  const of = (n: string) => rounds.filter((r) => r.target === n);
  const p99s = (n: string) => of(n).map((r) => percentile(r.ttfb, 99));
  const p50s = (n: string) => of(n).map((r) => percentile(r.ttfb, 50));
  const lines = [
    `### Streaming: time to first body byte with ${concurrency} concurrent streams`,
    '',
    `Each round starts ${concurrency} streams at once on warm connections; value = median over rounds of the round's percentile; added = target − direct in the same round index (median, min … max).`,
    '',
    row(['target', 'rounds', 'TTFB p50 ms', 'TTFB p99 ms', 'added p99 ms', 'added p99 spread', 'failed streams']),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---:']),
  ];
  const direct = p99s('direct');
  const bareAdded = median(p99s('bare').map((v, i) => v - direct[i]));
  for (const n of names) {
    const added = p99s(n).map((v, i) => v - direct[i]);
    const failed = of(n).reduce((a, r) => a + r.failed, 0);
    const isDirect = n === 'direct';
    lines.push(row([n, of(n).length, f(median(p50s(n)), 2), f(median(p99s(n)), 2), isDirect ? '—' : f(median(added), 2), isDirect ? '—' : range(added, 2), failed]));
    if ((GATEWAYS as readonly string[]).includes(n)) {
      // a bare proxy that added nothing measurable (too few rounds, a noisy machine) leaves nothing to judge against
      const ratio = bareAdded > 0 ? median(added) / bareAdded : NaN;
      verdicts.push({ metric: `added TTFB p99, ${concurrency} streams, vs the bare proxy's (${f(bareAdded, 2)} ms)`, variant: n, value: `${f(median(added), 2)} ms (${f(ratio, 2)}×)`, target: `≤ ${TARGETS.streamsTtfbRatio}×, none failed`, ok: failed === 0 && ratio <= TARGETS.streamsTtfbRatio });
    }
  }
  return lines;
}

export function verdictSection(verdicts: Verdict[]): string[] {
  return [
    '### Targets',
    '',
    row(['metric', 'variant', 'measured', 'target', 'met']),
    row(['---', '---', '---:', '---', '---']),
    ...verdicts.map((v) => row([v.metric, v.variant, v.value, v.target, v.ok ? 'yes' : '**no**'])),
  ];
}

/**
 * The response cache on an ingress with Redis on loopback: the added latency of a lookup that misses
 * (cache-miss − cache-off at concurrency 1, same process, both with a new prompt per request) and the
 * cache-hit throughput against the bare proxy.
 */
export function cacheSection(r: LatencyResult, tp: ThroughputResult, verdicts: Verdict[]): string[] {
  const { steps, groups } = tp;
  const pooled = (name: string) => sortedCopy(r.samples[name]);
  const off = pooled('cache-off');
  const miss = pooled('cache-miss');
  const addP50 = percentile(miss, 50) - percentile(off, 50);
  const addP99 = percentile(miss, 99) - percentile(off, 99);
  const perRepeat = (p: 'p50' | 'p99') => r.repeats.map((x) => x['cache-miss'][p] - x['cache-off'][p]);
  const hit = bestWithin(steps, 'cache-hit', TARGETS.p99BoundMs);
  const bare = bestWithin(steps, 'bare', TARGETS.p99BoundMs);
  const ratio = (hit?.rps ?? NaN) / (bare?.rps ?? NaN);
  const paired = pairedRatio(groups, 'cache-hit', 'bare', rpsOf);
  verdicts.push({ metric: 'added latency p99 of a cache lookup on miss (c=1)', variant: 'cache-miss vs cache-off', value: `${f(addP99)} ms`, target: `≤ ${TARGETS.cacheLookupP99Ms} ms`, ok: addP99 <= TARGETS.cacheLookupP99Ms });
  verdicts.push({ metric: 'cache-hit throughput vs bare proxy (paired)', variant: 'cache-hit', value: f(paired.median, 2), target: '≥ 1.00', ok: paired.median >= 1 });
  return [
    '### Response cache (ingress with REDIS_URL, Redis on loopback)',
    '',
    '`cache-off` = x-gatehouse-cache: false, `cache-miss` = true with a new prompt per request (a lookup that misses: answered by the key index of the ingress without a Redis GET unless `cache.key_index_max_keys: 0`; then a SET after the response), `cache-hit` = true with the same prompt (replayed from Redis, no upstream call). All three hit the same ingress process.',
    '',
    row(['measurement', 'value', 'spread over repeats']),
    row(['---', '---:', '---:']),
    row(['added p50 of a lookup on miss, c=1 (cache-miss − cache-off)', `${f(addP50)} ms`, range(perRepeat('p50'))]),
    row(['added p99 of a lookup on miss, c=1 (cache-miss − cache-off)', `${f(addP99)} ms`, range(perRepeat('p99'))]),
    row(['cache-hit p50 / p99, c=1', `${f(percentile(pooled('cache-hit'), 50))} / ${f(percentile(pooled('cache-hit'), 99))} ms`, '']),
    row(['cache-hit max req/s (p99 ≤ 10 ms)', `${f(hit?.rps ?? NaN, 0)} at ${hit?.connections ?? 'n/a'} connections`, '']),
    row(['bare proxy max req/s (same run)', `${f(bare?.rps ?? NaN, 0)} at ${bare?.connections ?? 'n/a'} connections`, '']),
    row(['cache-hit vs bare proxy, ramp (ratio of the two maxima)', f(ratio, 2), '']),
    row(['cache-hit vs bare proxy, paired (median of per-round ratios)', f(paired.median, 2), `${f(paired.min, 2)} … ${f(paired.max, 2)} (${paired.rounds} rounds)`]),
    '',
    PAIRED_NOTE,
  ];
}

export function limitsSection(r: LatencyResult, tp: ThroughputResult, verdicts: Verdict[]): string[] {
  const { steps, groups } = tp;
  const pooled = (name: string) => sortedCopy(r.samples[name]);
  const off = pooled('limits-off');
  const on = pooled('limits-on');
  const addP50 = percentile(on, 50) - percentile(off, 50);
  const addP99 = percentile(on, 99) - percentile(off, 99);
  const perRepeat = (p: 'p50' | 'p99') => r.repeats.map((x) => x['limits-on'][p] - x['limits-off'][p]);
  const bestOff = bestWithin(steps, 'limits-off', TARGETS.p99BoundMs);
  const bestOn = bestWithin(steps, 'limits-on', TARGETS.p99BoundMs);
  const ratio = (bestOn?.rps ?? NaN) / (bestOff?.rps ?? NaN);
  const paired = pairedRatio(groups, 'limits-on', 'limits-off', rpsOf);
  const loss = 1 - paired.median;
  verdicts.push({ metric: 'added latency p99 of limits + budget (c=1)', variant: 'limits-on vs limits-off', value: `${f(addP99)} ms`, target: `≤ ${TARGETS.limitsAddedP99Ms} ms`, ok: addP99 <= TARGETS.limitsAddedP99Ms });
  verdicts.push({ metric: 'throughput loss of limits + budget (paired)', variant: 'limits-on vs limits-off', value: `${f(loss * 100, 1)} %`, target: `≤ ${TARGETS.limitsThroughputLoss * 100} %`, ok: loss <= TARGETS.limitsThroughputLoss });
  return [
    '### Rate limits and budgets (ingress with REDIS_URL, Redis on loopback)',
    '',
    '`limits-off` = a key without limits; `limits-on` = a key with rpm, tpm and a monthly budget in a team with the same (never reached): admitted from quota leases once busy (one Lua call per ~100 requests before their upstream calls, their settlements of tokens and cost summed every 50 ms; `limits.leases`). Cache off, same prompt, same ingress process.',
    '',
    row(['measurement', 'value', 'spread over repeats']),
    row(['---', '---:', '---:']),
    row(['added p50, c=1 (limits-on − limits-off)', `${f(addP50)} ms`, range(perRepeat('p50'))]),
    row(['added p99, c=1 (limits-on − limits-off)', `${f(addP99)} ms`, range(perRepeat('p99'))]),
    row(['limits-off max req/s (p99 ≤ 10 ms)', `${f(bestOff?.rps ?? NaN, 0)} at ${bestOff?.connections ?? 'n/a'} connections`, '']),
    row(['limits-on max req/s (p99 ≤ 10 ms)', `${f(bestOn?.rps ?? NaN, 0)} at ${bestOn?.connections ?? 'n/a'} connections`, '']),
    row(['limits-on / limits-off throughput, ramp (ratio of the two maxima)', f(ratio, 3), '']),
    row(['limits-on / limits-off throughput, paired (median of per-round ratios)', f(paired.median, 3), `${f(paired.min, 3)} … ${f(paired.max, 3)} (${paired.rounds} rounds)`]),
    '',
    PAIRED_NOTE,
  ];
}

/** Failover: the same two-target fallback model healthy and with its first target failing half the requests (same ingress, same run). */
export function failoverSection(r: LatencyResult, tp: ThroughputResult, breakerOpenings: number): string[] {
  const { steps } = tp;
  const healthy = sortedCopy(r.samples['failover-healthy']);
  const flaky = sortedCopy(r.samples['failover-50']);
  const perRepeat = (p: 'p50' | 'p99') => r.repeats.map((x) => x['failover-50'][p] - x['failover-healthy'][p]);
  const bestHealthy = bestWithin(steps, 'failover-healthy', TARGETS.p99BoundMs);
  const bestFlaky = bestWithin(steps, 'failover-50', TARGETS.p99BoundMs);
  return [
    '### Failover (one of two targets failing 50 %)',
    '',
    '`failover-healthy` = a fallback model over two healthy targets; `failover-50` = the same with the first target answering 500 to a random half of its requests (`retry.attempts: 0`, so a failure moves to the second target at once; default breaker settings, so the breaker may open and skip the flaky target for `cooldown_s`). Same ingress, same run.',
    '',
    row(['measurement', 'failover-healthy', 'failover-50', 'added (50 − healthy)', 'spread of added over repeats']),
    row(['---', '---:', '---:', '---:', '---:']),
    row(['p50, c=1', `${f(percentile(healthy, 50))} ms`, `${f(percentile(flaky, 50))} ms`, `${f(percentile(flaky, 50) - percentile(healthy, 50))} ms`, range(perRepeat('p50'))]),
    row(['p99, c=1', `${f(percentile(healthy, 99))} ms`, `${f(percentile(flaky, 99))} ms`, `${f(percentile(flaky, 99) - percentile(healthy, 99))} ms`, range(perRepeat('p99'))]),
    row(['max req/s (p99 ≤ 10 ms)', `${f(bestHealthy?.rps ?? NaN, 0)} at ${bestHealthy?.connections ?? 'n/a'}`, `${f(bestFlaky?.rps ?? NaN, 0)} at ${bestFlaky?.connections ?? 'n/a'}`, `ratio ${f((bestFlaky?.rps ?? NaN) / (bestHealthy?.rps ?? NaN), 3)}`, '']),
    '',
    `Breaker openings of the flaky target during the run: ${breakerOpenings}.`,
  ];
}

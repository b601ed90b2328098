/** Display formats of the console: pure functions (unit-tested), no DOM. */

/** Counts are integers: 5 → "5", 12345 → "12,345". */
export function fmtInt(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return Math.round(n).toLocaleString('en-US');
}

/**
 * US dollars with a precision that fits the amount: two decimals from $1, four from a cent, else
 * three significant digits ($0.0000012 for an embedding), never a row of zeros for a real cost.
 */
export function fmtUsd(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  if (n === 0) return '$0';
  const abs = Math.abs(n);
  const sign = n < 0 ? '-' : '';
  if (abs >= 1) return `${sign}$${abs.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  if (abs >= 0.01) return `${sign}$${trimZeros(abs.toFixed(4))}`;
  const digits = Math.min(12, 2 - Math.floor(Math.log10(abs)));
  const s = trimZeros(abs.toFixed(digits));
  return s === '0' ? `${sign}<$0.000000000001` : `${sign}$${s}`;
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** Milliseconds: one decimal below 10 ms, whole milliseconds above, seconds from 10 s. */
export function fmtMs(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  if (n >= 10_000) return `${(n / 1000).toFixed(1)} s`;
  if (n >= 10) return `${Math.round(n).toLocaleString('en-US')} ms`;
  return `${n.toFixed(1)} ms`;
}

/** A share as a percentage: 0.1234 → "12.3%". */
export function fmtPct(part: number, whole: number): string {
  if (!whole) return '—';
  const p = (part / whole) * 100;
  if (p > 0 && p < 0.1) return '<0.1%';
  return `${p === 0 || p >= 10 ? Math.round(p) : p.toFixed(1)}%`;
}

/** The label of a dimension value; an empty value (no team, no key, no model) is shown, never dropped. */
export function dimLabel(value: string | null | undefined): string {
  return value === null || value === undefined || value === '' ? '(none)' : value;
}

/** Time bucket of a range: hours up to three days, days beyond. */
export function bucketOf(fromMs: number, toMs: number): 'hour' | 'day' {
  return toMs - fromMs <= 3 * 86_400_000 ? 'hour' : 'day';
}

/** Every bucket start (epoch ms, UTC) from the one holding fromMs to the one holding toMs - 1. */
export function bucketStarts(fromMs: number, toMs: number, bucket: 'hour' | 'day'): number[] {
  const size = bucket === 'hour' ? 3_600_000 : 86_400_000;
  const out: number[] = [];
  for (let t = Math.floor(fromMs / size) * size; t < toMs; t += size) out.push(t);
  return out;
}

/** Named time ranges of the console's range picker. */
export const RANGES: Record<string, number> = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 };

/**
 * The from/to of a console URL: explicit from/to (epoch ms or ISO) win, else a named range ending now
 * (default 24h).
 */
export function resolveRange(q: URLSearchParams, now: number): { from: number; to: number } {
  const parse = (s: string | null) => (s === null || s === '' ? null : /^\d+$/.test(s) ? Number(s) : Date.parse(s));
  const to = parse(q.get('to')) ?? now;
  const explicitFrom = parse(q.get('from'));
  if (explicitFrom !== null && Number.isFinite(explicitFrom)) return { from: explicitFrom, to };
  const span = RANGES[q.get('range') ?? '24h'] ?? RANGES['24h'];
  return { from: to - span, to };
}

export interface SeriesInput<R> {
  rows: R[];
  time: (r: R) => string;
  series: (r: R) => string;
  value: (r: R) => number;
}

/**
 * Rows of a grouped time query (one per bucket and series value) as aligned arrays over every bucket
 * of the range (zeros where no row), series ordered by total, largest first; beyond `max` series the
 * rest are summed as "other".
 */
export function pivot<R>(input: SeriesInput<R>, starts: number[], max = 8): { label: string; values: number[]; total: number }[] {
  const index = new Map(starts.map((t, i) => [t, i]));
  const bySeries = new Map<string, number[]>();
  for (const r of input.rows) {
    const i = index.get(Date.parse(input.time(r)));
    if (i === undefined) continue;
    const label = input.series(r);
    let values = bySeries.get(label);
    if (!values) bySeries.set(label, (values = starts.map(() => 0)));
    values[i] += input.value(r);
  }
  const all = [...bySeries].map(([label, values]) => ({ label, values, total: values.reduce((a, b) => a + b, 0) }));
  all.sort((a, b) => b.total - a.total || a.label.localeCompare(b.label));
  if (all.length <= max) return all;
  const kept = all.slice(0, max - 1);
  const rest = all.slice(max - 1);
  const values = starts.map((_, i) => rest.reduce((a, s) => a + s.values[i], 0));
  return [...kept, { label: `other (${rest.length})`, values, total: values.reduce((a, b) => a + b, 0) }];
}

import type { BudgetPeriod } from '@gatehouse/contracts';

const DAY = 86_400_000;

export interface PeriodWindow {
  /** Stable id of the period, part of the counter's Redis key: "d20261130", "m202611", "total". */
  id: string;
  start: number;
  /** Exclusive end (epoch ms, UTC); null for the total period. */
  end: number | null;
}

/** The UTC calendar period (day, month) or the whole lifetime (total) that contains `now`. */
export function periodAt(period: BudgetPeriod, now: number): PeriodWindow {
  if (period === 'total') return { id: 'total', start: 0, end: null };
  const d = new Date(now);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  if (period === 'day') {
    const start = Date.UTC(y, m, d.getUTCDate());
    return { id: `d${y}${pad(m + 1)}${pad(d.getUTCDate())}`, start, end: start + DAY };
  }
  return { id: `m${y}${pad(m + 1)}`, start: Date.UTC(y, m, 1), end: Date.UTC(y, m + 1, 1) };
}

/** A period's counter is kept one day past the period's end (then Redis drops it); the total counter is kept forever (0). */
export const counterExpiry = (w: PeriodWindow): number => (w.end === null ? 0 : w.end + DAY);

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

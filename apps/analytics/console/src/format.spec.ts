import { bucketStarts, dimLabel, fmtInt, fmtMs, fmtPct, fmtUsd, pivot, resolveRange } from './format';

describe('console formats', () => {
  it('prints counts as integers with grouping, never "5.0"', () => {
    expect(fmtInt(5)).toBe('5');
    expect(fmtInt(12345)).toBe('12,345');
    expect(fmtInt(null)).toBe('—');
  });

  it('prints costs with a precision that fits: an embedding costs more than $0', () => {
    expect(fmtUsd(0.00000004)).toBe('$0.00000004');
    expect(fmtUsd(0.0000171)).toBe('$0.0000171');
    expect(fmtUsd(0.012345)).toBe('$0.0123');
    expect(fmtUsd(1234.5)).toBe('$1,234.50');
    expect(fmtUsd(0)).toBe('$0');
  });

  it('prints latencies, shares and empty dimension values legibly', () => {
    expect(fmtMs(3.72)).toBe('3.7 ms');
    expect(fmtMs(2648.4)).toBe('2,648 ms');
    expect(fmtMs(12_500)).toBe('12.5 s');
    expect(fmtPct(1, 10)).toBe('10%');
    expect(fmtPct(0.0001, 50)).toBe('<0.1%');
    expect(dimLabel('')).toBe('(none)');
    expect(dimLabel(null)).toBe('(none)');
  });

  it('reads the range of the URL: explicit from/to, else a named range ending now', () => {
    const now = Date.UTC(2026, 10, 30, 12);
    expect(resolveRange(new URLSearchParams('range=7d'), now)).toEqual({ from: now - 7 * 86_400_000, to: now });
    expect(resolveRange(new URLSearchParams('from=1000&to=2000'), now)).toEqual({ from: 1000, to: 2000 });
    expect(resolveRange(new URLSearchParams(''), now)).toEqual({ from: now - 86_400_000, to: now });
  });

  it('pivots grouped rows into aligned series over every bucket, largest first, the rest as "other"', () => {
    const h = 3_600_000;
    const starts = bucketStarts(0, 3 * h, 'hour');
    expect(starts).toEqual([0, h, 2 * h]);
    const iso = (t: number) => new Date(t).toISOString().replace('.000', '');
    const rows = [
      { hour: iso(0), model: 'a', cost: 1 },
      { hour: iso(2 * h), model: 'a', cost: 2 },
      { hour: iso(h), model: 'b', cost: 5 },
      { hour: iso(h), model: 'c', cost: 0.5 },
      { hour: iso(h), model: 'd', cost: 0.25 },
    ];
    const series = pivot({ rows, time: (r) => r.hour, series: (r) => r.model, value: (r) => r.cost }, starts, 3);
    expect(series).toEqual([
      { label: 'b', values: [0, 5, 0], total: 5 },
      { label: 'a', values: [1, 0, 2], total: 3 },
      { label: 'other (2)', values: [0, 0.75, 0], total: 0.75 },
    ]);
  });
});

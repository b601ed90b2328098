import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { fmtInt, fmtUsd } from './format';

export const PALETTE = ['#2563eb', '#f97316', '#16a34a', '#dc2626', '#9333ea', '#0891b2', '#ca8a04', '#db2777', '#4b5563', '#65a30d'];

export type Unit = 'usd' | 'count';
export interface ChartSeries {
  label: string;
  values: number[];
  total: number;
}

const fmt = (unit: Unit, v: number) => (unit === 'usd' ? fmtUsd(v) : fmtInt(v));

/** Count axes step by whole numbers only (1, 2, 5, 10, …): never a tick at 3.3. */
const INT_INCRS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 1e7, 1e8, 1e9];

/**
 * Bars over time, stacked when there are several series (uPlot, drawn on a canvas), with an HTML
 * legend giving each series' total: labels wrap instead of running together.
 */
export function TimeBars(props: { id: string; starts: number[]; series: ChartSeries[]; unit: Unit; stacked?: boolean; height?: number }) {
  const box = useRef<HTMLDivElement>(null);
  const { starts, series, unit } = props;
  const stacked = props.stacked ?? true;
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const xs = starts.map((t) => t / 1000);
    const cum = series.map(() => starts.map(() => 0));
    series.forEach((s, si) => s.values.forEach((v, i) => (cum[si][i] = v + (stacked && si > 0 ? cum[si - 1][i] : 0))));
    // Top of the stack first: each lower series is painted over the one above it.
    const order = series.map((_, i) => i).reverse();
    const bars = uPlot.paths.bars!({ size: [stacked ? 0.7 : 0.7 / Math.max(1, series.length), 60], align: 0 });
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: props.height ?? 220,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true, range: [xs[0] - 1800, xs[xs.length - 1] + 1800] }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
      axes: [
        { stroke: '#475569', grid: { stroke: '#e2e8f0' } },
        { stroke: '#475569', grid: { stroke: '#e2e8f0' }, size: 70, incrs: unit === 'count' ? INT_INCRS : undefined, values: (_u, ticks) => ticks.map((v) => fmt(unit, v)) },
      ],
      series: [{}, ...order.map((si) => ({ label: series[si].label, stroke: PALETTE[si % PALETTE.length], fill: PALETTE[si % PALETTE.length], width: 0, paths: bars, points: { show: false } }))],
    };
    const plot = new uPlot(opts, [xs, ...order.map((si) => (stacked ? cum[si] : series[si].values))] as uPlot.AlignedData, el);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(200, el.clientWidth), height: opts.height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [starts, series, unit, stacked]);
  const total = series.reduce((a, s) => a + s.total, 0);
  return (
    <div class="chart" id={props.id} data-total={String(total)} data-series={String(series.length)}>
      <div class="plot" ref={box} />
      {series.length === 0 ? <p class="empty">No data in this range.</p> : <Legend series={series} unit={unit} />}
    </div>
  );
}

export function Legend(props: { series: ChartSeries[]; unit: Unit }) {
  return (
    <ul class="legend">
      {props.series.map((s, i) => (
        <li key={s.label} data-label={s.label} data-value={String(s.total)}>
          <span class={`swatch c${i % PALETTE.length}`} />
          <span class="label">{s.label}</span>
          <span class="value">{fmt(props.unit, s.total)}</span>
        </li>
      ))}
    </ul>
  );
}

/** A horizontal bar (share of the largest value) inside a table cell. */
export function Bar(props: { value: number; max: number; color?: number }) {
  const pct = props.max > 0 ? Math.max(1, Math.round((props.value / props.max) * 100)) : 0;
  return (
    <span class="bar">
      <span class={`fill c${(props.color ?? 0) % PALETTE.length}`} style={{ width: `${pct}%` }} />
    </span>
  );
}

import { get, session } from '../api';
import { Bar, TimeBars, type ChartSeries } from '../charts';
import { apiQuery, Filters } from '../filters';
import { bucketOf, bucketStarts, dimLabel, fmtInt, fmtMs, fmtPct, fmtUsd, pivot, resolveRange } from '../format';
import { navigate, useLoad, withParams } from '../router';
import { BudgetCell, type BudgetUse } from '../budget';
import { Card, Failure } from '../ui';

interface UsageRow {
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  errors: number;
  cost_saved_usd: number;
  cache_hits: number;
  [dim: string]: string | number;
}
interface LatencyRow {
  model: string;
  requests: number;
  latency_p50_ms: number;
  latency_p95_ms: number;
  latency_p99_ms: number;
  ttft_p50_ms: number | null;
  ttft_p95_ms: number | null;
}
interface VerdictRow {
  policy_id: string;
  check_type: string;
  action: string;
  verdicts: number;
  applied: number;
  monitored: number;
  requests: number;
  hour?: string;
  day?: string;
}

const STACKS = ['model', 'team', 'key', 'provider'] as const;
const UNROUTED = '(unknown model)';

const usage = (qs: string) => get<{ data: UsageRow[] }>(`/analytics/usage?${qs}`).then((r) => r.data);

async function budgetUse(kind: 'keys' | 'teams', id: string): Promise<BudgetUse | null> {
  try {
    return await get<BudgetUse>(`/admin/${kind}/${encodeURIComponent(id)}/usage`);
  } catch {
    return null;
  }
}

/** Everything the analytics view shows, fetched in parallel for the range and filters of the URL. */
async function loadAnalytics(q: URLSearchParams) {
  const range = resolveRange(q, Date.now());
  const bucket = bucketOf(range.from, range.to);
  const stack = (STACKS as readonly string[]).includes(q.get('stack') ?? '') ? (q.get('stack') as (typeof STACKS)[number]) : 'model';
  const qs = (extra: Record<string, string> = {}) => apiQuery(q, range, extra);
  const [total, stacked, overTime, errorTypes, modelProviders, latency, verdictsOverTime, verdicts, byKey, byTeam] = await Promise.all([
    usage(qs()),
    usage(qs({ group_by: `${bucket},${stack}` })),
    usage(qs({ group_by: bucket })),
    usage(qs({ group_by: 'error_type', status: 'error' })),
    usage(qs({ group_by: 'model,provider' })),
    get<{ data: LatencyRow[] }>(`/analytics/latency?${qs({ group_by: 'model' })}`).then((r) => r.data),
    get<{ data: VerdictRow[] }>(`/analytics/guardrails?${qs({ group_by: bucket })}`).then((r) => r.data),
    get<{ data: VerdictRow[] }>(`/analytics/guardrails?${qs()}`).then((r) => r.data),
    usage(qs({ group_by: 'key' })),
    usage(qs({ group_by: 'team' })),
  ]);
  // A model no provider ever served (404 unknown model) is not a series of its own.
  const routed = new Set(modelProviders.filter((r) => r.provider !== '').map((r) => String(r.model)));
  const unrouted = new Set(modelProviders.filter((r) => r.provider === '' && r.model !== '' && !routed.has(String(r.model))).map((r) => String(r.model)));
  const admin = session()?.role === 'admin';
  const topKeys = byKey.slice(0, 10);
  const topTeams = byTeam.slice(0, 10);
  // Budget use of the top keys and teams that exist in the admin API (a team without limits has no record).
  const [keyList, teamList] = admin
    ? await Promise.all([get<{ data: { id: string; name: string }[] }>('/admin/keys'), get<{ data: { name: string }[] }>('/admin/teams')])
    : [{ data: [] }, { data: [] }];
  const keyNames = new Map(keyList.data.map((k) => [k.id, k.name]));
  const teamNames = new Set(teamList.data.map((t) => t.name));
  const [keyBudgets, teamBudgets] = await Promise.all([
    Promise.all(topKeys.map((r) => (keyNames.has(String(r.key)) ? budgetUse('keys', String(r.key)) : null))),
    Promise.all(topTeams.map((r) => (teamNames.has(String(r.team)) ? budgetUse('teams', String(r.team)) : null))),
  ]);
  return { range, bucket, stack, total: total[0], stacked, overTime, errorTypes, unrouted, latency, verdictsOverTime, verdicts, topKeys, topTeams, keyBudgets, teamBudgets, keyNames };
}

type Loaded = Awaited<ReturnType<typeof loadAnalytics>>;

export function AnalyticsView(props: { q: URLSearchParams }) {
  const { q } = props;
  const { data, error, loading } = useLoad(() => loadAnalytics(q), [q.toString()]);
  return (
    <section>
      <Filters key={q.toString()} q={q} />
      {error && <Failure error={error} />}
      {loading && !data && <p class="muted">Loading…</p>}
      {data && <Dashboard d={data} q={q} />}
    </section>
  );
}

function Dashboard({ d, q }: { d: Loaded; q: URLSearchParams }) {
  const starts = bucketStarts(d.range.from, d.range.to, d.bucket);
  const t = d.total ?? { requests: 0, errors: 0, cost_usd: 0, input_tokens: 0, output_tokens: 0, cost_saved_usd: 0, cache_hits: 0 };
  const label = (v: unknown) => (d.stack === 'model' && d.unrouted.has(String(v)) ? UNROUTED : dimLabel(v as string));
  const cost = pivot({ rows: d.stacked, time: (r) => String(r[d.bucket]), series: (r) => label(r[d.stack]), value: (r) => r.cost_usd }, starts).filter((s) => s.total > 0);
  const one = (key: keyof UsageRow, name: string): ChartSeries[] => pivot({ rows: d.overTime, time: (r) => String(r[d.bucket]), series: () => name, value: (r) => Number(r[key]) }, starts);
  const [all] = one('requests', 'ok');
  const [errors] = one('errors', 'errors');
  const ok = all && errors ? { label: 'ok', values: all.values.map((v, i) => v - errors.values[i]), total: all.total - errors.total } : all;
  const requests = [ok, errors].filter((s): s is ChartSeries => s !== undefined && s.total > 0);
  const tokens = [...one('input_tokens', 'tokens in'), ...one('output_tokens', 'tokens out')];
  const verdictSeries = pivot(
    { rows: d.verdictsOverTime, time: (r) => String(r[d.bucket]), series: (r) => `${r.policy_id} · ${r.check_type} · ${r.monitored === r.verdicts && r.action === 'deny' ? 'would have blocked' : r.action}`, value: (r) => r.verdicts },
    starts,
  );
  const maxLatency = Math.max(0, ...d.latency.map((r) => r.latency_p99_ms));
  return (
    <div class="grid">
      <Card title="Totals" wide>
        <dl class="kpis" id="kpis">
          <Kpi id="kpi-requests" label="Requests" value={fmtInt(t.requests)} raw={t.requests} />
          <Kpi id="kpi-errors" label="Errors" value={`${fmtInt(t.errors)} (${fmtPct(t.errors, t.requests)})`} raw={t.errors} />
          <Kpi id="kpi-cost" label="Cost" value={fmtUsd(t.cost_usd)} raw={t.cost_usd} />
          <Kpi id="kpi-tokens-in" label="Tokens in" value={fmtInt(t.input_tokens)} raw={t.input_tokens} />
          <Kpi id="kpi-tokens-out" label="Tokens out" value={fmtInt(t.output_tokens)} raw={t.output_tokens} />
          <Kpi id="kpi-saved" label="Saved by cache" value={`${fmtUsd(t.cost_saved_usd)} (${fmtInt(t.cache_hits)} hits)`} raw={t.cost_saved_usd} />
        </dl>
      </Card>
      <Card title="Cost over time" wide>
        <div class="tabs" role="tablist">
          {STACKS.map((s) => (
            <button type="button" role="tab" aria-selected={d.stack === s} class={d.stack === s ? 'on' : ''} onClick={() => navigate(withParams(q, { stack: s === 'model' ? null : s }))}>
              by {s}
            </button>
          ))}
        </div>
        <TimeBars id="chart-cost" starts={starts} series={cost} unit="usd" />
      </Card>
      <Card title="Requests and errors">
        <TimeBars id="chart-requests" starts={starts} series={requests} unit="count" />
      </Card>
      <Card title="Tokens in and out">
        <TimeBars id="chart-tokens" starts={starts} series={tokens} unit="count" stacked={false} />
      </Card>
      <Card title="Errors by type">
        <div class="scroll"><table id="table-errors">
          <thead>
            <tr><th>error type</th><th class="num">requests</th><th class="num">error rate</th></tr>
          </thead>
          <tbody>
            {d.errorTypes.length === 0 && <tr><td colSpan={3} class="muted">No errors in this range.</td></tr>}
            {d.errorTypes.map((r) => (
              <tr>
                <td>{dimLabel(String(r.error_type))}</td>
                <td class="num">{fmtInt(r.requests)}</td>
                <td class="num">{fmtPct(r.requests, t.requests)}</td>
              </tr>
            ))}
          </tbody>
        </table></div>
      </Card>
      <Card title="Latency by model">
        <div class="scroll"><table id="table-latency" class="cards">
          <thead>
            <tr><th>model</th><th class="num">requests</th><th class="num">p50</th><th class="num">p95</th><th class="num opt">p99</th><th class="num">TTFT p50</th><th class="num opt">TTFT p95</th><th class="barcol" /></tr>
          </thead>
          <tbody>
            {d.latency.map((r) => (
              <tr>
                <td class="wrap" data-label="model">{d.unrouted.has(r.model) ? `${r.model} ${UNROUTED}` : dimLabel(r.model)}</td>
                <td class="num" data-label="requests">{fmtInt(r.requests)}</td>
                <td class="num" data-label="p50">{fmtMs(r.latency_p50_ms)}</td>
                <td class="num" data-label="p95">{fmtMs(r.latency_p95_ms)}</td>
                <td class="num opt" data-label="p99">{fmtMs(r.latency_p99_ms)}</td>
                <td class="num" data-label="TTFT p50">{fmtMs(r.ttft_p50_ms)}</td>
                <td class="num opt" data-label="TTFT p95">{fmtMs(r.ttft_p95_ms)}</td>
                <td class="barcol"><Bar value={r.latency_p95_ms} max={maxLatency} /></td>
              </tr>
            ))}
          </tbody>
        </table></div>
      </Card>
      <Card title="Guardrail verdicts" wide>
        <TimeBars id="chart-guardrails" starts={starts} series={verdictSeries} unit="count" />
        <div class="scroll"><table id="table-verdicts" class="cards">
          <thead>
            <tr><th>policy</th><th>check</th><th>action</th><th class="num">verdicts</th><th class="num">applied</th><th class="num">would have (monitor)</th><th class="num opt">requests</th></tr>
          </thead>
          <tbody>
            {d.verdicts.map((r) => (
              <tr>
                <td class="wrap" data-label="policy">{r.policy_id}</td>
                <td class="wrap" data-label="check">{r.check_type}</td>
                <td data-label="action">{r.action}</td>
                <td class="num" data-label="verdicts">{fmtInt(r.verdicts)}</td>
                <td class="num" data-label="applied">{fmtInt(r.applied)}</td>
                <td class="num" data-label="would have (monitor)">{r.monitored ? `${fmtInt(r.monitored)} ${r.action === 'deny' ? 'would have blocked' : `would have ${r.action === 'redact' ? 'redacted' : 'flagged'}`}` : '0'}</td>
                <td class="num opt" data-label="requests">{fmtInt(r.requests)}</td>
              </tr>
            ))}
          </tbody>
        </table></div>
      </Card>
      <TopTable id="table-top-keys" title="Top keys by cost" dim="key" rows={d.topKeys} budgets={d.keyBudgets} name={(r) => d.keyNames.get(String(r.key)) ?? dimLabel(String(r.key))} sub={(r) => String(r.key)} color={0} />
      <TopTable id="table-top-teams" title="Top teams by cost" dim="team" rows={d.topTeams} budgets={d.teamBudgets} name={(r) => dimLabel(String(r.team))} color={1} />
    </div>
  );
}

function TopTable(props: { id: string; title: string; dim: string; rows: UsageRow[]; budgets: (BudgetUse | null)[]; name: (r: UsageRow) => string; sub?: (r: UsageRow) => string; color: number }) {
  const max = Math.max(0, ...props.rows.map((r) => r.cost_usd));
  return (
    <Card title={props.title}>
      <div class="scroll"><table id={props.id}>
        <thead>
          <tr><th>{props.dim}</th><th class="num">requests</th><th class="num">cost</th><th>budget use</th></tr>
        </thead>
        <tbody>
          {props.rows.map((r, i) => (
            <tr>
              <td class="wrap">{props.name(r)}{props.sub && <div class="muted small">{props.sub(r)}</div>}</td>
              <td class="num">{fmtInt(r.requests)}</td>
              <td class="num">{fmtUsd(r.cost_usd)}<Bar value={r.cost_usd} max={max} color={props.color} /></td>
              <td><BudgetCell use={props.budgets[i]} /></td>
            </tr>
          ))}
        </tbody>
      </table></div>
    </Card>
  );
}

function Kpi(props: { id: string; label: string; value: string; raw: number }) {
  return (
    <div class="kpi" id={props.id} data-value={String(props.raw)}>
      <dt>{props.label}</dt>
      <dd>{props.value}</dd>
    </div>
  );
}

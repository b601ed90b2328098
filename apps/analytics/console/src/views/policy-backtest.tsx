import { useEffect, useRef, useState } from 'preact/hooks';
import { call, get } from '../api';
import { dimLabel, fmtInt, fmtPct, RANGES } from '../format';
import { Card, Failure } from '../ui';

type Action = 'none' | 'flag' | 'redact' | 'deny';
type Counts = Record<Action, number>;
const ACTIONS: Action[] = ['deny', 'redact', 'flag', 'none'];

interface BacktestResult {
  policy: { id: string; version: number | null; draft: boolean };
  rows: { scanned: number; evaluated: number; skipped_no_bodies: number; out_of_scope: number };
  by_action: Counts;
  by_check: { index: number; type: string; name: string | null; deny: number; redact: number; flag: number; error: number }[];
  by_team: Record<string, Counts>;
  by_model: Record<string, Counts>;
  samples: Record<Exclude<Action, 'none'>, string[]>;
  vs_active: { active_version: number; changed: number; transitions: Record<string, { count: number; samples: string[] }> } | null;
  checks_not_run?: string[];
}
interface Job {
  id: string;
  status: 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
  progress: { done: number; total: number } | null;
  result: BacktestResult | null;
  error: string | null;
}

const FINISHED = new Set(['completed', 'failed', 'cancelled']);
const POLL_MS = 500;
const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

/**
 * POST /admin/policies/:id/backtest: what the editor's draft or a stored version would have done to
 * the stored traffic of a range (optionally some teams or models), against the active version.
 * A large range answers with a job: its progress is followed at GET /admin/jobs/:id and it can be
 * cancelled (DELETE).
 */
export function PolicyBacktest({ id, draft, latest }: { id: string; draft: string | null; latest: number | null }) {
  const [chosen, setSource] = useState(draft !== null ? 'draft' : 'latest');
  // While the editor's text is invalid the draft cannot be chosen: the active version is.
  const source = chosen === 'draft' && draft === null ? (latest ? String(latest) : 'latest') : chosen;
  const [range, setRange] = useState('7d');
  const [teams, setTeams] = useState('');
  const [models, setModels] = useState('');
  const [job, setJob] = useState<Job | null>(null);
  const [result, setResult] = useState<BacktestResult | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [ranAt, setRanAt] = useState<{ from: number; to: number } | null>(null);
  // The job being followed: a new run or leaving the page stops following the previous one.
  const following = useRef<string | null>(null);
  useEffect(() => () => { following.current = null; }, []);

  const follow = async (jobId: string) => {
    following.current = jobId;
    while (following.current === jobId) {
      const j = await get<Job>(`/admin/jobs/${encodeURIComponent(jobId)}`);
      if (following.current !== jobId) return;
      setJob(j);
      if (j.status === 'completed' && j.result) return setResult(j.result);
      if (FINISHED.has(j.status)) return;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  };

  const run = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setResult(null);
    setJob(null);
    following.current = null;
    const to = Date.now();
    const from = to - RANGES[range];
    setRanAt({ from, to });
    const body: Record<string, unknown> = { from, to, teams: list(teams), models: list(models) };
    try {
      if (source === 'draft') body.policy = JSON.parse(draft ?? '');
      else if (source !== 'latest') body.version = Number(source);
      const { body: answer } = await call<BacktestResult | { job: Job; status_url: string }>(`/admin/policies/${encodeURIComponent(id)}/backtest`, { method: 'POST', body });
      if ('job' in answer) {
        setJob(answer.job);
        await follow(answer.job.id);
      } else setResult(answer);
    } catch (err) {
      setError(err as Error);
    }
  };
  const cancel = async () => {
    if (!job) return;
    try {
      setJob((await call<Job>(`/admin/jobs/${encodeURIComponent(job.id)}`, { method: 'DELETE' })).body);
    } catch (err) {
      setError(err as Error);
    }
  };

  const versions = latest ? Array.from({ length: latest }, (_, i) => latest - i) : [];
  const busy = job !== null && !FINISHED.has(job.status);
  return (
    <Card title="Backtest on stored traffic" wide id="policy-backtest-card">
      <p class="muted small">
        Replays the stored requests of a range through the policy, without blocking anything. Requests whose key does not
        retain bodies cannot be evaluated and are counted as skipped.
      </p>
      <form class="form" id="policy-backtest" onSubmit={run}>
        <label>
          Policy
          <select name="source" value={source} onChange={(e) => setSource((e.target as HTMLSelectElement).value)}>
            {draft !== null && <option value="draft">the draft in the editor</option>}
            {versions.map((v) => <option value={String(v)}>version {v}{v === latest ? ' (active)' : ''}</option>)}
            {versions.length === 0 && <option value="latest">the active version</option>}
          </select>
        </label>
        <label>
          Range
          <select name="range" value={range} onChange={(e) => setRange((e.target as HTMLSelectElement).value)}>
            {Object.keys(RANGES).map((r) => <option value={r}>last {r}</option>)}
          </select>
        </label>
        <label>Teams (comma-separated, empty = all)<input name="teams" value={teams} onInput={(e) => setTeams((e.target as HTMLInputElement).value)} /></label>
        <label>Models (comma-separated, empty = all)<input name="models" value={models} onInput={(e) => setModels((e.target as HTMLInputElement).value)} /></label>
        <button type="submit" class="primary" disabled={busy}>Run backtest</button>
      </form>
      {job && <JobStatus job={job} onCancel={cancel} />}
      {error && <Failure error={error} />}
      {result && ranAt && <BacktestReport r={result} range={ranAt} />}
    </Card>
  );
}

function JobStatus({ job, onCancel }: { job: Job; onCancel: () => void }) {
  const p = job.progress;
  return (
    <div class="row job" id="backtest-job" data-status={job.status}>
      <span>Job <code class="small">{job.id}</code>: <strong id="backtest-job-status">{job.status}</strong></span>
      {p && <span class="muted" id="backtest-progress">{fmtInt(p.done)} of {fmtInt(p.total)} rows ({fmtPct(p.done, p.total || 1)})</span>}
      {!FINISHED.has(job.status) && <progress max={p?.total || 1} value={p?.done ?? 0} />}
      {!FINISHED.has(job.status) && <button type="button" id="backtest-cancel" class="danger" onClick={onCancel}>Cancel</button>}
      {job.error && <span class="bad">{job.error}</span>}
    </div>
  );
}

/** A link to a request in the trace explorer (its page loads by id whatever the range). */
function TraceLink({ id }: { id: string }) {
  return <a class="mono small" href={`/console?view=traces&range=30d&trace=${encodeURIComponent(id)}`}>{id}</a>;
}

function CountsTable({ title, rows }: { title: string; rows: Record<string, Counts> }) {
  const entries = Object.entries(rows);
  return (
    <table>
      <thead><tr><th>{title}</th>{ACTIONS.map((a) => <th class="num">{a}</th>)}</tr></thead>
      <tbody>
        {entries.length === 0 && <tr><td colSpan={5} class="muted">None evaluated.</td></tr>}
        {entries.map(([name, c]) => (
          <tr data-name={name}><td class="wrap" data-label={title}>{dimLabel(name)}</td>{ACTIONS.map((a) => <td class="num" data-label={a}>{fmtInt(c[a])}</td>)}</tr>
        ))}
      </tbody>
    </table>
  );
}

function BacktestReport({ r, range }: { r: BacktestResult; range: { from: number; to: number } }) {
  const what = r.policy.draft ? 'The draft' : `Version ${r.policy.version}`;
  const transitions = Object.entries(r.vs_active?.transitions ?? {});
  const samples = (Object.entries(r.samples) as [Exclude<Action, 'none'>, string[]][]).filter(([, ids]) => ids.length > 0);
  return (
    <div id="policy-backtest-result" class="report" data-from={range.from} data-to={range.to}>
      <p id="backtest-summary">
        {what} evaluated <strong>{fmtInt(r.rows.evaluated)}</strong> of {fmtInt(r.rows.scanned)} stored requests
        ({fmtInt(r.rows.skipped_no_bodies)} skipped without stored text, {fmtInt(r.rows.out_of_scope)} out of the policy's scope):
        it would deny <strong data-action="deny">{fmtInt(r.by_action.deny)}</strong>, redact <strong data-action="redact">{fmtInt(r.by_action.redact)}</strong>,
        flag <strong data-action="flag">{fmtInt(r.by_action.flag)}</strong> and let <strong data-action="none">{fmtInt(r.by_action.none)}</strong> pass.
      </p>
      {r.checks_not_run && r.checks_not_run.length > 0 && <p class="muted small">Not replayed: {r.checks_not_run.join(', ')}.</p>}
      <h3>Against the active version</h3>
      <div id="backtest-diff">
        {r.vs_active === null && <p class="muted">The policy has no active version yet: nothing to compare.</p>}
        {r.vs_active && r.vs_active.changed === 0 && <p>Same outcome as the active version {r.vs_active.active_version} on every evaluated request.</p>}
        {r.vs_active && r.vs_active.changed > 0 && (
          <>
            <p><strong>{fmtInt(r.vs_active.changed)}</strong> {r.vs_active.changed === 1 ? 'request' : 'requests'} would end differently than under the active version {r.vs_active.active_version}:</p>
            <ul class="small">
              {transitions.map(([k, t]) => {
                const [before, after] = k.split('->');
                return (
                  <li data-transition={k}>
                    {before} → {after}: <strong>{fmtInt(t.count)}</strong>
                    {t.samples.length > 0 && <span class="samples"> e.g. {t.samples.map((s) => <TraceLink id={s} />)}</span>}
                  </li>
                );
              })}
            </ul>
          </>
        )}
      </div>
      <div class="grid">
        <div>
          <h3>By check</h3>
          <table id="backtest-by-check">
            <thead><tr><th>check</th><th class="num">deny</th><th class="num">redact</th><th class="num">flag</th><th class="num">error</th></tr></thead>
            <tbody>
              {r.by_check.map((c) => (
                <tr>
                  <td class="wrap" data-label="check">{c.name ?? `${c.index + 1}. ${c.type}`}</td>
                  <td class="num" data-label="deny">{fmtInt(c.deny)}</td><td class="num" data-label="redact">{fmtInt(c.redact)}</td>
                  <td class="num" data-label="flag">{fmtInt(c.flag)}</td><td class="num" data-label="error">{fmtInt(c.error)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div id="backtest-samples">
          <h3>Sample requests</h3>
          {samples.length === 0 && <p class="muted small">No request would be denied, redacted or flagged.</p>}
          {samples.map(([action, ids]) => <p class="samples" data-action={action}>{action}: {ids.map((s) => <TraceLink id={s} />)}</p>)}
        </div>
        <div id="backtest-by-team"><h3>By team</h3><CountsTable title="team" rows={r.by_team} /></div>
        <div id="backtest-by-model"><h3>By model</h3><CountsTable title="model" rows={r.by_model} /></div>
      </div>
    </div>
  );
}

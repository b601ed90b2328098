import { useState } from 'preact/hooks';
import { call, get } from '../api';
import { fmtInt, RANGES } from '../format';
import { Card, Failure } from '../ui';

type Counts = Record<'none' | 'flag' | 'redact' | 'deny', number>;
interface BacktestResult {
  rows: { scanned: number; evaluated: number; skipped_no_bodies: number; out_of_scope: number };
  by_action: Counts;
  by_check: { index: number; type: string; name: string | null; deny: number; redact: number; flag: number; error: number }[];
  vs_active: { active_version: number; changed: number; transitions: Record<string, { count: number }> } | null;
}
interface Job {
  status: string;
  progress?: { done: number; total: number } | null;
  result?: BacktestResult;
  error?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** POST /admin/policies/:id/backtest: what the draft would have done to stored traffic of a range, against the active version. */
export function PolicyBacktest({ id, draft }: { id: string; draft: string }) {
  const [range, setRange] = useState('7d');
  const [result, setResult] = useState<BacktestResult | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const run = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setResult(null);
    const to = Date.now();
    try {
      const { body } = await call<BacktestResult | { job: Job; status_url: string }>(`/admin/policies/${encodeURIComponent(id)}/backtest`, {
        method: 'POST',
        body: { from: to - RANGES[range], to, policy: JSON.parse(draft) },
      });
      if (!('status_url' in body)) return setResult(body);
      // A large range runs as a job: poll it until it ends.
      for (;;) {
        const job = await get<Job>(body.status_url);
        setStatus(`${job.status}${job.progress ? ` ${fmtInt(job.progress.done)} / ${fmtInt(job.progress.total)} rows` : ''}`);
        if (job.status === 'completed' && job.result) return setResult(job.result);
        if (job.status === 'failed' || job.status === 'cancelled') throw new Error(`backtest ${job.status}${job.error ? `: ${job.error}` : ''}`);
        await sleep(1000);
      }
    } catch (err) {
      setError(err as Error);
    }
  };
  return (
    <Card title="Backtest on stored traffic">
      <form class="row" id="policy-backtest" onSubmit={run}>
        <label>
          Range{' '}
          <select value={range} onChange={(e) => setRange((e.target as HTMLSelectElement).value)}>
            {Object.keys(RANGES).map((r) => <option value={r}>last {r}</option>)}
          </select>
        </label>
        <button type="submit">Run backtest</button>
        {status && !result && <span class="muted">{status}</span>}
      </form>
      {error && <Failure error={error} />}
      {result && (
        <div id="policy-backtest-result" class="small">
          <p>
            {fmtInt(result.rows.evaluated)} requests evaluated ({fmtInt(result.rows.skipped_no_bodies)} without stored text skipped,{' '}
            {fmtInt(result.rows.out_of_scope)} out of scope): would deny <strong>{fmtInt(result.by_action.deny)}</strong>, redact{' '}
            <strong>{fmtInt(result.by_action.redact)}</strong>, flag <strong>{fmtInt(result.by_action.flag)}</strong>.
          </p>
          {result.vs_active && (
            <p>
              Against active version {result.vs_active.active_version}: {fmtInt(result.vs_active.changed)} requests change
              {Object.entries(result.vs_active.transitions).map(([k, v]) => ` · ${k}: ${fmtInt(v.count)}`).join('')}
            </p>
          )}
          <table>
            <thead><tr><th>check</th><th class="num">deny</th><th class="num">redact</th><th class="num">flag</th><th class="num">error</th></tr></thead>
            <tbody>
              {result.by_check.map((c) => (
                <tr><td>{c.name ?? `${c.index + 1}. ${c.type}`}</td><td class="num">{fmtInt(c.deny)}</td><td class="num">{fmtInt(c.redact)}</td><td class="num">{fmtInt(c.flag)}</td><td class="num">{fmtInt(c.error)}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

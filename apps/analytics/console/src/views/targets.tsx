import { get } from '../api';
import { fmtMs, fmtPct } from '../format';
import { useLoad } from '../router';
import { Card, Failure, When } from '../ui';

interface TargetView {
  target: string;
  state: string;
  opened_at: string | null;
  latency_ms: number | null;
  error_rate: number | null;
  requests_in_window: number;
  last_error: { message: string; at: string } | null;
}

/** Upstream targets as the answering gateway process sees them (GET /admin/targets): breaker state, latency, errors. */
export function TargetsView() {
  const { data, error, reload } = useLoad(() => get<{ pid: number; data: TargetView[] }>('/admin/targets'), []);
  return (
    <Card title="Targets" wide>
      <div class="row">
        <button type="button" onClick={reload}>Refresh</button>
        {data && <span class="muted small">as seen by gateway process {data.pid}; a target appears once it has been tried</span>}
      </div>
      {error && <Failure error={error} />}
      <div class="scroll">
        <table id="table-targets">
          <thead>
            <tr><th>target</th><th>breaker</th><th class="num">latency</th><th class="num">error rate</th><th class="num">requests in window</th><th>last error</th></tr>
          </thead>
          <tbody>
            {data?.data.length === 0 && <tr><td colSpan={6} class="muted">No target has been tried yet.</td></tr>}
            {data?.data.map((t) => (
              <tr data-target={t.target}>
                <td class="wrap">{t.target}</td>
                <td class={t.state === 'closed' ? 'good' : 'bad'}>{t.state}{t.opened_at && <div class="muted small">since <When ms={Date.parse(t.opened_at)} /></div>}</td>
                <td class="num">{fmtMs(t.latency_ms)}</td>
                <td class="num">{t.error_rate === null ? '—' : fmtPct(t.error_rate, 1)}</td>
                <td class="num">{t.requests_in_window}</td>
                <td class="wrap small">{t.last_error ? <span>{t.last_error.message} <span class="muted">(<When ms={Date.parse(t.last_error.at)} />)</span></span> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}

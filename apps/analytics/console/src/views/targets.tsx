import { useEffect } from 'preact/hooks';
import { get } from '../api';
import { fmtMs, fmtPct } from '../format';
import { useLoad } from '../router';
import { Card, Failure, When } from '../ui';

interface TargetView {
  target: string;
  state: 'closed' | 'open' | 'half_open';
  opened_at: string | null;
  latency_ms: number | null;
  error_rate: number | null;
  requests_in_window: number;
  last_error: { message: string; at: string } | null;
}

const STATE: Record<TargetView['state'], { label: string; meaning: string; tone: string }> = {
  closed: { label: 'closed', meaning: 'healthy: requests are sent', tone: 'good' },
  open: { label: 'open', meaning: 'failing: skipped until the cooldown ends', tone: 'bad' },
  half_open: { label: 'half-open', meaning: 'cooldown over: a few probe requests decide', tone: 'warn' },
};

const REFRESH_MS = 10_000;

/** Upstream targets as the answering gateway process sees them (GET /admin/targets): breaker state, latency, errors. */
export function TargetsView() {
  const { data, error, loading, reload } = useLoad(() => get<{ pid: number; data: TargetView[] }>('/admin/targets'), []);
  // Breakers move on their own (cooldowns, probes): the view follows every REFRESH_MS.
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  const open = data?.data.filter((t) => t.state !== 'closed').length ?? 0;
  return (
    <Card title="Targets" wide>
      <div class="row">
        <button type="button" id="targets-refresh" onClick={reload} disabled={loading}>Refresh</button>
        {data && (
          <span class="muted small" id="targets-summary">
            {data.data.length} {data.data.length === 1 ? 'target' : 'targets'}, {open} not closed · as seen by gateway process {data.pid} · refreshed every {REFRESH_MS / 1000} s
          </span>
        )}
      </div>
      <p class="muted small">
        Each gateway process judges the targets (provider / upstream model) it has tried on its own: a breaker opens after
        repeated failures, skips the target for its cooldown, then lets probe requests through. Latency is the moving
        average of successful attempts; the error rate counts the breaker's window.
      </p>
      {error && <Failure error={error} />}
      <table id="table-targets" class="cards">
        <thead>
          <tr><th>target</th><th>breaker</th><th class="num">latency</th><th class="num">error rate</th><th class="num">requests in window</th><th>last error</th></tr>
        </thead>
        <tbody>
          {data?.data.length === 0 && <tr><td colSpan={6} class="muted">No target has been tried yet by this process.</td></tr>}
          {data?.data.map((t) => {
            const s = STATE[t.state];
            return (
              <tr data-target={t.target} data-state={t.state}>
                <td class="wrap" data-label="target"><strong>{t.target}</strong></td>
                <td data-label="breaker">
                  <span class={`pill ${s.tone}`}>{s.label}</span> <span class="muted small">{s.meaning}</span>
                  {t.opened_at && t.state !== 'closed' && <div class="muted small">opened <When ms={Date.parse(t.opened_at)} /></div>}
                </td>
                <td class="num" data-label="latency">{fmtMs(t.latency_ms)}</td>
                <td class={`num${t.error_rate ? ' bad' : ''}`} data-label="error rate">{t.error_rate === null ? '—' : fmtPct(t.error_rate, 1)}</td>
                <td class="num" data-label="requests in window">{t.requests_in_window}</td>
                <td class="wrap small" data-label="last error">
                  {t.last_error ? <span>{t.last_error.message} <span class="muted">(<When ms={Date.parse(t.last_error.at)} />)</span></span> : '—'}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Card>
  );
}

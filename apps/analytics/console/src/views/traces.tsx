import { get } from '../api';
import { apiQuery, Filters } from '../filters';
import { dimLabel, fmtInt, fmtMs, fmtUsd, resolveRange } from '../format';
import { explainLatency } from '../latency-text';
import { navigate, useLoad, withParams } from '../router';
import { Card, Failure, When } from '../ui';

interface TraceSummary {
  request_id: string;
  ts_start: number;
  latency_ms: number;
  status: number;
  error_type: string | null;
  model_requested: string;
  provider: string | null;
  key_id: string | null;
  key_name: string | null;
  team: string | null;
  metadata: Record<string, string>;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number | null;
  cache_status: string;
}
interface Attempt {
  provider: string;
  model: string;
  status: number;
  error_type: string | null;
  latency_ms: number;
}
interface Verdict {
  policy_id: string;
  policy_version: number;
  check_type: string;
  stage: string;
  action: string;
  outcome: string;
  mode: string;
  applied: boolean;
  details: string[];
}
interface TraceDetail extends TraceSummary {
  attempts: number;
  trace_id: string;
  ttft_ms: number | null;
  endpoint: string;
  client_format: string;
  model_upstream: string | null;
  stream: boolean;
  attempt_details: Attempt[];
  cached_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  cost: { input_usd: number; output_usd: number; cached_input_usd: number; cache_write_usd: number; reasoning_usd: number } | null;
  cost_saved_usd: number;
  pricing_unknown: boolean;
  guardrails: { action: string };
  request_body: string | null;
  response_body: string | null;
  verdicts: Verdict[];
}

/** Trace explorer: search by the URL's filters, newest first; `trace=<id>` opens one trace as a page. */
export function TracesView(props: { q: URLSearchParams }) {
  const { q } = props;
  const id = q.get('trace');
  return (
    <section>
      <Filters key={q.toString()} q={q} />
      {id ? <TracePage id={id} q={q} /> : <TraceList q={q} />}
    </section>
  );
}

function TraceList({ q }: { q: URLSearchParams }) {
  const cursor = q.get('cursor');
  const { data, error, loading } = useLoad(() => {
    const extra: Record<string, string> = { limit: '50' };
    if (cursor) extra.cursor = cursor;
    return get<{ data: TraceSummary[]; next_cursor: string | null }>(`/analytics/traces?${apiQuery(q, resolveRange(q, Date.now()), extra)}`);
  }, [q.toString()]);
  if (error) return <Failure error={error} />;
  if (!data) return <p class="muted">{loading ? 'Loading…' : ''}</p>;
  return (
    <Card title={`Traces (${data.data.length}${data.next_cursor ? '+' : ''})`} wide>
      <div class="scroll">
        <table id="table-traces" class="traces cards">
          <thead>
            <tr><th>time</th><th>team / key</th><th>model</th><th>status</th><th>error type</th><th class="num">latency</th><th class="num opt">tokens in / out</th><th class="num">cost</th><th class="opt">metadata</th></tr>
          </thead>
          <tbody>
            {data.data.length === 0 && <tr><td colSpan={9} class="muted">No traces match.</td></tr>}
            {data.data.map((t) => (
              <tr class="link" data-request-id={t.request_id} onClick={() => navigate(withParams(q, { trace: t.request_id }))}>
                <td data-label="time"><a href={`?${withParams(q, { trace: t.request_id })}`} onClick={(e) => e.preventDefault()}><When ms={t.ts_start} /></a></td>
                <td class="wrap" data-label="team / key">{dimLabel(t.team)}<div class="muted small">{t.key_name ?? dimLabel(t.key_id)}</div></td>
                <td class="wrap" data-label="model">{dimLabel(t.model_requested)}<div class="muted small">{t.provider ?? 'not routed'}</div></td>
                <td class={t.status >= 400 ? 'bad' : 'good'} data-label="status">{t.status}</td>
                <td class={t.error_type ? '' : 'opt'} data-label="error type">{t.error_type ?? ''}</td>
                <td class="num" data-label="latency">{fmtMs(t.latency_ms)}</td>
                <td class="num opt" data-label="tokens in / out">{fmtInt(t.input_tokens)} / {fmtInt(t.output_tokens)}</td>
                <td class="num" data-label="cost">{fmtUsd(t.cost_usd)}</td>
                <td class="wrap small opt" data-label="metadata">{Object.entries(t.metadata).map(([k, v]) => `${k}=${v}`).join(' ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="pager">
        {cursor && <button type="button" onClick={() => navigate(withParams(q, { cursor: null }))}>Newest</button>}
        {data.next_cursor && <button type="button" onClick={() => navigate(withParams(q, { cursor: data.next_cursor }))}>Older →</button>}
      </div>
    </Card>
  );
}

function TracePage({ id, q }: { id: string; q: URLSearchParams }) {
  const { data: t, error } = useLoad(() => get<TraceDetail>(`/analytics/traces/${encodeURIComponent(id)}`), [id]);
  const back = <button type="button" onClick={() => navigate(withParams(q, { trace: null }))}>← Back to the list</button>;
  if (error) return <div>{back}<Failure error={error} /></div>;
  if (!t) return <p class="muted">Loading…</p>;
  const parts = t.cost
    ? [['input', t.cost.input_usd], ['output', t.cost.output_usd], ['cached input', t.cost.cached_input_usd], ['cache write', t.cost.cache_write_usd], ['reasoning', t.cost.reasoning_usd]].filter(([, v]) => (v as number) > 0)
    : [];
  return (
    <div id="trace-detail" class="grid">
      <div class="wide">{back}</div>
      <Card title={`Request ${t.request_id}`} wide>
        <dl class="facts">
          <dt>time</dt><dd><When ms={t.ts_start} /></dd>
          <dt>status</dt><dd class={t.status >= 400 ? 'bad' : 'good'}>{t.status}{t.error_type ? ` ${t.error_type}` : ''}</dd>
          <dt>endpoint</dt><dd>{t.endpoint} ({t.client_format}){t.stream ? ', streamed' : ''}</dd>
          <dt>model</dt><dd>{dimLabel(t.model_requested)} → {t.provider ?? 'not routed'}{t.model_upstream ? ` / ${t.model_upstream}` : ''}</dd>
          <dt>team / key</dt><dd>{dimLabel(t.team)} / {t.key_name ?? dimLabel(t.key_id)}</dd>
          <dt>latency</dt><dd>{fmtMs(t.latency_ms)}{t.ttft_ms !== null ? `, first token ${fmtMs(t.ttft_ms)}` : ''}</dd>
          <dt>cache</dt><dd>{t.cache_status}{t.cost_saved_usd > 0 ? `, saved ${fmtUsd(t.cost_saved_usd)}` : ''}</dd>
          <dt>guardrails</dt><dd>{t.guardrails.action}</dd>
          <dt>metadata</dt><dd>{Object.entries(t.metadata).map(([k, v]) => `${k}=${v}`).join(', ') || '—'}</dd>
          <dt>trace id</dt><dd class="mono">{t.trace_id}</dd>
        </dl>
      </Card>
      <Card title="Tokens and cost">
        <table id="table-cost">
          <tbody>
            <tr><th>tokens in</th><td class="num">{fmtInt(t.input_tokens)}</td></tr>
            <tr><th>tokens out</th><td class="num">{fmtInt(t.output_tokens)}</td></tr>
            {t.cached_tokens > 0 && <tr><th>cached tokens</th><td class="num">{fmtInt(t.cached_tokens)}</td></tr>}
            {t.reasoning_tokens > 0 && <tr><th>reasoning tokens</th><td class="num">{fmtInt(t.reasoning_tokens)}</td></tr>}
            {parts.map(([name, v]) => <tr><th>cost: {name}</th><td class="num">{fmtUsd(v as number)}</td></tr>)}
            <tr><th>cost</th><td class="num" id="trace-cost">{t.pricing_unknown ? 'unknown price' : fmtUsd(t.cost_usd)}</td></tr>
          </tbody>
        </table>
      </Card>
      <Card title={`Attempts (${t.attempts})`}>
        <table id="table-attempts">
          <thead><tr><th>#</th><th>provider / model</th><th>status</th><th class="num">latency</th></tr></thead>
          <tbody>
            {t.attempt_details.length === 0 && <tr><td colSpan={4} class="muted">No upstream attempt (answered by the gateway).</td></tr>}
            {t.attempt_details.map((a, i) => (
              <tr><td>{i + 1}</td><td class="wrap">{a.provider} / {a.model}</td><td class={a.status === 0 || a.status >= 400 ? 'bad' : 'good'}>{a.status === 0 ? 'no answer' : a.status}{a.error_type ? ` ${a.error_type}` : ''}</td><td class="num">{fmtMs(a.latency_ms)}</td></tr>
            ))}
          </tbody>
        </table>
        <div id="latency-explained" class="explain small">
          {explainLatency({ latency_ms: t.latency_ms, ttft_ms: t.ttft_ms, stream: t.stream, attempts: t.attempt_details }).map((p) => <p>{p}</p>)}
        </div>
      </Card>
      <Card title={`Guardrail verdicts (${t.verdicts.length})`} wide>
        <table id="table-trace-verdicts">
          <thead><tr><th>policy</th><th>check</th><th>stage</th><th>action</th><th>mode</th><th>details</th></tr></thead>
          <tbody>
            {t.verdicts.length === 0 && <tr><td colSpan={6} class="muted">No verdicts.</td></tr>}
            {t.verdicts.map((v) => (
              <tr><td class="wrap">{v.policy_id} v{v.policy_version}</td><td>{v.check_type}</td><td>{v.stage}</td><td>{v.mode === 'monitor' && !v.applied ? `would have: ${v.action}` : v.action}</td><td>{v.mode}</td><td class="wrap small">{v.details.join('; ')}</td></tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card title="Request" wide><Body text={t.request_body} /></Card>
      <Card title="Response" wide><Body text={t.response_body} /></Card>
    </div>
  );
}

interface ChatLike {
  messages?: { role: string; content: unknown }[];
  system?: unknown;
  input?: unknown;
  choices?: { message?: { content?: unknown } }[];
  content?: { text?: string }[];
}

const textOf = (c: unknown): string => (typeof c === 'string' ? c : Array.isArray(c) ? c.map((p) => (typeof p === 'string' ? p : (p as { text?: string }).text ?? '')).join('') : JSON.stringify(c));

/** Chat messages as role/text pairs when the body is a chat request or answer, else the text as stored. */
function Body({ text }: { text: string | null }) {
  if (text === null) return <p class="muted">Not retained (the key has log_bodies: false, or the body was not kept).</p>;
  let parsed: ChatLike | null = null;
  try {
    parsed = JSON.parse(text) as ChatLike;
  } catch {
    parsed = null;
  }
  const turns: [string, string][] = [];
  if (parsed?.system) turns.push(['system', textOf(parsed.system)]);
  for (const m of parsed?.messages ?? []) turns.push([m.role, textOf(m.content)]);
  for (const c of parsed?.choices ?? []) if (c.message?.content !== undefined) turns.push(['assistant', textOf(c.message.content)]);
  if (parsed?.content) turns.push(['assistant', textOf(parsed.content)]);
  return (
    <div class="body">
      {turns.map(([role, content]) => (
        <div class="turn"><span class="role">{role}</span><pre>{content}</pre></div>
      ))}
      <details>
        <summary>Raw</summary>
        <pre>{text}</pre>
      </details>
    </div>
  );
}

import { useEffect, useState } from 'preact/hooks';
import { ApiError, call, get, session } from '../api';
import { navigate, useLoad, withParams } from '../router';
import { Card, Failure, When } from '../ui';
import { PolicyBacktest } from './policy-backtest';

interface PolicyBody {
  id: string;
  description?: string;
  mode: 'enforce' | 'monitor';
  checks: { type: string; action: string }[];
  [field: string]: unknown;
}
interface PolicyEvent {
  id: string;
  version: number;
  created_at: number;
  actor?: string | null;
  policy: PolicyBody;
}
interface VersionItem {
  version: number;
  created_at: number;
  actor: string | null;
  summary: string;
  changed: string[];
}
interface DiffChange {
  op: string;
  path: string;
  value?: unknown;
  old_value?: unknown;
}
interface TestResult {
  input: { action: string; summary: string; denied: boolean; verdicts: { policy_id: string; check_type: string; action: string; mode: string; applied: boolean; details: string[] }[] };
  output: { action: string; summary: string } | null;
}

const TEMPLATE = { description: '', mode: 'monitor', on_error: 'deny', checks: [{ type: 'keywords', words: ['example'], action: 'deny' }] };

/** Policies: the list; `policy=<id>` opens the editor (inline validation, mode switch, test, history and diff). */
export function PoliciesView(props: { q: URLSearchParams }) {
  const id = props.q.get('new') ? '' : props.q.get('policy');
  return id === null ? <PolicyList q={props.q} /> : <PolicyEditor key={id} id={id} q={props.q} />;
}

function PolicyList({ q }: { q: URLSearchParams }) {
  const { data, error } = useLoad(() => get<{ data: PolicyEvent[] }>('/admin/policies').then((r) => r.data), []);
  return (
    <Card title="Policies" wide>
      <div class="row"><button type="button" class="primary" id="new-policy" onClick={() => navigate(withParams(q, { policy: null, new: '1' }))}>New policy</button></div>
      {error && <Failure error={error} />}
      <div class="scroll">
        <table id="table-policies" class="cards">
          <thead><tr><th>policy</th><th>mode</th><th class="num">version</th><th>checks</th><th>updated</th></tr></thead>
          <tbody>
            {(data ?? []).length === 0 && <tr><td colSpan={5} class="muted">No policies yet.</td></tr>}
            {(data ?? []).map((p) => (
              <tr class="link" data-policy={p.id} onClick={() => navigate(withParams(q, { policy: p.id }))}>
                <td class="wrap" data-label="policy"><a href={`?${withParams(q, { policy: p.id })}`} onClick={(e) => e.preventDefault()}>{p.id}</a><div class="muted small">{p.policy.description ?? ''}</div></td>
                <td class={p.policy.mode === 'enforce' ? 'bad' : ''} data-label="mode">{p.policy.mode}</td>
                <td class="num" data-label="version">{p.version}</td>
                <td class="wrap small" data-label="checks">{p.policy.checks.map((c) => `${c.type}/${c.action}`).join(', ')}</td>
                <td data-label="updated"><When ms={p.created_at} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}

const bodyText = (p: PolicyBody) => {
  const { id: _id, ...rest } = p;
  return JSON.stringify(rest, null, 2);
};

function PolicyEditor({ id, q }: { id: string; q: URLSearchParams }) {
  const isNew = id === '';
  const current = useLoad(async () => {
    if (isNew) return null;
    const { body, headers } = await call<PolicyEvent>(`/admin/policies/${encodeURIComponent(id)}`);
    return { event: body, etag: headers.get('etag') ?? `"${body.version}"` };
  }, [id]);
  const [newId, setNewId] = useState('');
  const [text, setText] = useState<string | null>(null);
  const [problem, setProblem] = useState<{ message: string; param: string | null } | null>(null);
  const [saveError, setSaveError] = useState<Error | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [historyTick, setHistoryTick] = useState(0);
  // The version this editor last saved (its PUT answer), so a next save sends its ETag at once.
  const [latest, setLatest] = useState<{ event: PolicyEvent; etag: string } | null>(null);
  const head = latest && (!current.data || latest.event.version >= current.data.event.version) ? latest : current.data;
  const ev = head?.event ?? null;
  const source = text ?? (ev ? bodyText(ev.policy) : isNew ? JSON.stringify(TEMPLATE, null, 2) : '');
  const policyId = isNew ? newId.trim() : id;
  // An existing policy is editable once it has loaded: text typed into an empty editor before that
  // would have replaced the whole policy.
  const loaded = isNew || ev !== null;

  // Inline validation: the draft is checked by the guard's own parser (POST …/test with draft: nothing is saved).
  // An answer for an older draft (the text changed while it was on its way) is dropped.
  useEffect(() => {
    let live = true;
    const show = (p: { message: string; param: string | null } | null) => live && setProblem(p);
    const timer = setTimeout(async () => {
      let draft: unknown;
      try {
        draft = JSON.parse(source);
      } catch (e) {
        show({ message: `not JSON: ${(e as Error).message}`, param: null });
        return;
      }
      if (!policyId) {
        show(isNew ? { message: 'give the new policy an id', param: 'id' } : null);
        return;
      }
      try {
        await call(`/admin/policies/${encodeURIComponent(policyId)}/test`, { method: 'POST', body: { messages: [], draft } });
        show(null);
      } catch (e) {
        show({ message: (e as Error).message, param: e instanceof ApiError ? e.param : null });
      }
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [source, policyId]);

  const save = async (body: unknown) => {
    setSaveError(null);
    setSaved(null);
    try {
      if (isNew) {
        await call('/admin/policies', { method: 'POST', body: { ...(body as object), id: policyId } });
        navigate(withParams(q, { policy: policyId, new: null }));
        return;
      }
      const { body: event, headers } = await call<PolicyEvent>(`/admin/policies/${encodeURIComponent(id)}`, { method: 'PUT', body, headers: { 'if-match': head!.etag } });
      setLatest({ event, etag: headers.get('etag') ?? `"${event.version}"` });
      setText(null);
      setSaved(`Saved as version ${event.version}.`);
      setHistoryTick((t) => t + 1);
    } catch (e) {
      setSaveError(e as Error);
    }
  };
  const saveText = () => {
    try {
      void save(JSON.parse(source));
    } catch (e) {
      setSaveError(e as Error);
    }
  };
  const switchMode = (mode: 'enforce' | 'monitor') => {
    if (!ev) return;
    const { id: _id, ...rest } = ev.policy;
    void save({ ...rest, mode });
  };

  return (
    <div class="grid">
      <div class="wide row">
        <button type="button" onClick={() => navigate(withParams(q, { policy: null, new: null }))}>← All policies</button>
        {ev && (
          <span class="row" id="policy-mode">
            Mode: <strong id="policy-mode-value">{ev.policy.mode}</strong> (version {ev.version})
            {ev.policy.mode === 'monitor'
              ? <button type="button" class="primary" id="mode-enforce" onClick={() => switchMode('enforce')}>Switch to enforce</button>
              : <button type="button" id="mode-monitor" onClick={() => switchMode('monitor')}>Switch to monitor</button>}
          </span>
        )}
      </div>
      {current.error && <Failure error={current.error} />}
      <Card title={isNew ? 'New policy' : `Policy ${id}`} wide>
        {isNew && <label>Id <input id="policy-id" value={newId} onInput={(e) => setNewId((e.target as HTMLInputElement).value)} placeholder="e.g. no-pii" /></label>}
        {loaded ? (
          <>
            <textarea id="policy-editor" rows={16} spellcheck={false} value={source} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
            <p id="policy-validation" class={problem ? 'field-error' : 'good small'} role="status">
              {problem ? `${problem.param ? `${problem.param}: ` : ''}${problem.message}` : 'Valid.'}
            </p>
            <div class="row">
              <button type="button" class="primary" id="policy-save" disabled={!!problem} onClick={saveText}>{isNew ? 'Create' : 'Save new version'}</button>
              {saved && <span class="good" id="policy-saved">{saved}</span>}
            </div>
          </>
        ) : (
          !current.error && <p class="muted">Loading…</p>
        )}
        {saveError && <Failure error={saveError} />}
      </Card>
      {loaded && policyId && !problem && <PolicyTest id={policyId} draft={source} />}
      {!isNew && ev && session()?.role === 'admin' && <PolicyBacktest key={`${id}:${ev.version}`} id={id} draft={problem ? null : source} latest={ev.version} />}
      {!isNew && <History id={id} tick={historyTick} />}
    </div>
  );
}

function PolicyTest({ id, draft }: { id: string; draft: string }) {
  const [sample, setSample] = useState('');
  const [output, setOutput] = useState('');
  const [result, setResult] = useState<TestResult | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const run = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const body = { messages: [{ role: 'user', content: sample }], ...(output ? { output } : {}), draft: JSON.parse(draft) };
      setResult((await call<TestResult>(`/admin/policies/${encodeURIComponent(id)}/test`, { method: 'POST', body })).body);
    } catch (err) {
      setError(err as Error);
    }
  };
  return (
    <Card title="Test against a sample">
      <form onSubmit={run} id="policy-test">
        <label class="stack">User message<textarea id="test-input" rows={3} value={sample} onInput={(e) => setSample((e.target as HTMLTextAreaElement).value)} /></label>
        <label class="stack">Model output (optional)<textarea id="test-output" rows={2} value={output} onInput={(e) => setOutput((e.target as HTMLTextAreaElement).value)} /></label>
        <button type="submit">Run test</button>
      </form>
      {error && <Failure error={error} />}
      {result && (
        <div id="policy-test-result">
          <p>Input: <strong id="test-action">{result.input.action}</strong>{result.input.summary ? ` — ${result.input.summary}` : ''}</p>
          {result.output && <p>Output: <strong>{result.output.action}</strong>{result.output.summary ? ` — ${result.output.summary}` : ''}</p>}
          <ul class="small">
            {result.input.verdicts.map((v) => <li>{v.check_type}: {v.mode === 'monitor' && !v.applied ? `would have: ${v.action}` : v.action} {v.details.join('; ')}</li>)}
          </ul>
        </div>
      )}
    </Card>
  );
}

function History({ id, tick }: { id: string; tick: number }) {
  const { data, error } = useLoad(() => get<{ data: VersionItem[] }>(`/admin/policies/${encodeURIComponent(id)}/versions`).then((r) => r.data), [id, tick]);
  const [pair, setPair] = useState<{ from: number; to: number } | null>(null);
  const diff = useLoad(
    () => (pair ? get<{ changes: DiffChange[] }>(`/admin/policies/${encodeURIComponent(id)}/diff?from=${pair.from}&to=${pair.to}`).then((r) => r.changes) : Promise.resolve(null)),
    [id, pair?.from, pair?.to],
  );
  return (
    <Card title="Version history">
      {error && <Failure error={error} />}
      <table id="table-versions" class="cards">
        <thead><tr><th class="num">version</th><th>when</th><th>by</th><th>summary</th><th /></tr></thead>
        <tbody>
          {[...(data ?? [])].reverse().map((v) => (
            <tr data-version={v.version}>
              <td class="num" data-label="version">{v.version}</td>
              <td data-label="when"><When ms={v.created_at} /></td>
              <td data-label="by">{v.actor ?? '—'}</td>
              <td class="wrap small" data-label="summary">{v.summary}<div class="muted">changed: {v.changed.join(', ')}</div></td>
              <td>{v.version > 1 && <button type="button" onClick={() => setPair({ from: v.version - 1, to: v.version })}>Diff</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {pair && (
        <div class="diff" id="policy-diff" aria-busy={diff.loading ? 'true' : 'false'}>
          <h3>Version {pair.from} → {pair.to}</h3>
          {diff.loading && <p class="muted">Loading…</p>}
          {diff.error && <Failure error={diff.error} />}
          {(diff.data ?? []).length === 0 && !diff.loading && !diff.error && <p class="muted">No differences.</p>}
          {(diff.loading ? [] : diff.data ?? []).map((c) => (
            <div class="small">
              <code>{c.path}</code>{' '}
              {c.op !== 'add' && <span class="del">− {JSON.stringify(c.old_value)}</span>}{' '}
              {c.op !== 'remove' && <span class="add">+ {JSON.stringify(c.value)}</span>}
            </div>
          ))}
        </div>
      )}
    </Card>
  );
}

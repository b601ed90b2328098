import { useState } from 'preact/hooks';
import { call, get } from '../api';
import { fmtInt, fmtUsd } from '../format';
import { useLoad } from '../router';
import { LimitsFields, limitsBody } from '../limits-fields';
import { Card, Failure, When } from '../ui';

interface KeyView {
  id: string;
  name: string;
  team: string;
  models: string[];
  rpm: number | null;
  tpm: number | null;
  budget_usd: number | null;
  budget_period: string;
  expires_at: string | null;
  analytics: boolean;
  status: string;
  source?: string;
  created_at?: number;
}


/** Keys: create (the secret is shown once, with a copy button), limits, budget, expiry, revoke. */
export function KeysView() {
  const { data, error, reload } = useLoad(() => get<{ data: KeyView[] }>('/admin/keys').then((r) => r.data), []);
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const [editing, setEditing] = useState<KeyView | null>(null);
  const [actionError, setActionError] = useState<Error | null>(null);
  const revoke = async (k: KeyView) => {
    if (!confirm(`Revoke key "${k.name}" (${k.id})? Requests with it are rejected from now on.`)) return;
    setActionError(null);
    try {
      await call(`/admin/keys/${encodeURIComponent(k.id)}`, { method: 'DELETE' });
      reload();
    } catch (e) {
      setActionError(e as Error);
    }
  };
  return (
    <div class="grid">
      <Card title={editing ? `Edit key ${editing.name}` : 'Create a key'} wide>
        <KeyForm key={editing?.id ?? 'new'} editing={editing} onSaved={(k) => { if (k) setCreated(k); setEditing(null); reload(); }} />
        {created && <Secret name={created.name} secret={created.key} onDismiss={() => setCreated(null)} />}
      </Card>
      <Card title="Keys" wide>
        {error && <Failure error={error} />}
        {actionError && <Failure error={actionError} />}
        <table id="table-keys" class="cards">
          <thead>
            <tr><th>name</th><th>team</th><th>models</th><th class="num">rpm / tpm</th><th class="num">budget</th><th>expires</th><th>analytics</th><th>status</th><th /></tr>
          </thead>
          <tbody>
            {(data ?? []).map((k) => (
              <tr data-key-id={k.id} data-key-name={k.name}>
                <td class="wrap" data-label="name">{k.name}<div class="muted small mono">{k.id}</div></td>
                <td class="wrap" data-label="team">{k.team}</td>
                <td class="wrap small" data-label="models">{k.models.join(', ')}</td>
                <td class="num" data-label="rpm / tpm">{k.rpm === null ? '—' : fmtInt(k.rpm)} / {k.tpm === null ? '—' : fmtInt(k.tpm)}</td>
                <td class="num" data-label="budget">{k.budget_usd === null ? '—' : `${fmtUsd(k.budget_usd)} / ${k.budget_period}`}</td>
                <td data-label="expires">{k.expires_at ? <When ms={Date.parse(k.expires_at)} /> : '—'}</td>
                <td data-label="analytics">{k.analytics ? 'yes' : 'no'}</td>
                <td class={k.status === 'active' ? 'good' : 'bad'} data-label="status">{k.status}</td>
                <td class="row">
                  {k.status === 'active' && <button type="button" onClick={() => setEditing(k)}>Edit</button>}
                  {k.status === 'active' && <button type="button" class="danger" onClick={() => revoke(k)}>Revoke</button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </div>
  );
}

const str = (n: number | null) => (n === null ? '' : String(n));
/** An ISO time as the value of a datetime-local input (local time, minutes). */
const localInput = (iso: string | null) => (iso ? new Date(Date.parse(iso) - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16) : '');

/** Creates a key (POST; the answer carries the secret) or changes one (PATCH; `editing`). */
function KeyForm(props: { editing: KeyView | null; onSaved: (created: { name: string; key: string } | null) => void }) {
  const k = props.editing;
  const [f, setF] = useState({
    name: k?.name ?? '',
    team: k?.team ?? '',
    models: k ? k.models.join(', ') : '*',
    rpm: str(k?.rpm ?? null),
    tpm: str(k?.tpm ?? null),
    budget_usd: str(k?.budget_usd ?? null),
    budget_period: k?.budget_period ?? 'month',
    expires_at: localInput(k?.expires_at ?? null),
    analytics: k?.analytics ?? false,
  });
  const [error, setError] = useState<Error | null>(null);
  const set = (k: keyof typeof f) => (e: Event) => {
    const t = e.target as HTMLInputElement;
    setF({ ...f, [k]: t.type === 'checkbox' ? t.checked : t.value });
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const body: Record<string, unknown> = {
      name: f.name.trim(),
      team: f.team.trim(),
      models: f.models.split(',').map((m) => m.trim()).filter(Boolean),
      ...limitsBody(f),
      analytics: f.analytics,
      expires_at: f.expires_at ? new Date(f.expires_at).toISOString() : null,
    };
    try {
      if (k) {
        await call(`/admin/keys/${encodeURIComponent(k.id)}`, { method: 'PATCH', body });
        props.onSaved(null);
      } else {
        props.onSaved((await call<{ name: string; key: string }>('/admin/keys', { method: 'POST', body })).body);
        setF({ ...f, name: '' });
      }
    } catch (err) {
      setError(err as Error);
    }
  };
  return (
    <form class="form" id={k ? "edit-key" : "create-key"} onSubmit={submit}>
      <label>Name<input name="name" value={f.name} onInput={set('name')} required /></label>
      <label>Team<input name="team" value={f.team} onInput={set('team')} required /></label>
      <label>Models (globs, comma-separated)<input name="models" value={f.models} onInput={set('models')} /></label>
      <LimitsFields f={f} set={set} />
      <label>Expires<input name="expires_at" type="datetime-local" value={f.expires_at} onInput={set('expires_at')} /></label>
      <label class="check"><span><input name="analytics" type="checkbox" checked={f.analytics} onChange={set('analytics')} /> may read its team's analytics</span></label>
      <button type="submit" class="primary">{k ? 'Save changes' : 'Create key'}</button>
      {k && <button type="button" onClick={() => props.onSaved(null)}>Cancel</button>}
      {error && <div class="wide"><Failure error={error} /></div>}
    </form>
  );
}

/** The new key's secret: shown this once (the gateway keeps only its hash), with a copy button. */
function Secret(props: { name: string; secret: string; onDismiss: () => void }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    // The clipboard API needs a secure context (https or localhost); elsewhere the secret is selected for Ctrl+C.
    if (navigator.clipboard) {
      await navigator.clipboard.writeText(props.secret);
      setCopied(true);
    } else {
      getSelection()?.selectAllChildren(document.getElementById('new-key-value')!);
    }
  };
  return (
    <div class="secret" id="new-key-secret" role="status">
      <strong>Key "{props.name}" created.</strong> Copy the secret now; it is not shown again.
      <code id="new-key-value">{props.secret}</code>
      <button type="button" onClick={copy}>{copied ? 'Copied' : 'Copy'}</button>
      <button type="button" onClick={props.onDismiss}>Done</button>
    </div>
  );
}

import { useState } from 'preact/hooks';
import { session } from './api';
import { navigate, withParams } from './router';
import { RANGES } from './format';

/** URL parameters passed as they are to the analytics API (the same names). */
export const FILTER_PARAMS = ['team', 'key_id', 'model', 'provider', 'status', 'error_type'] as const;

/** The analytics API query of the console URL: range, filters and metadata.<key>=<value>. */
export function apiQuery(q: URLSearchParams, range: { from: number; to: number }, extra: Record<string, string> = {}): string {
  const out = new URLSearchParams({ from: String(range.from), to: String(range.to) });
  for (const k of FILTER_PARAMS) if (q.get(k)) out.set(k, q.get(k)!);
  for (const [k, v] of q) if (k.startsWith('metadata.') && v) out.set(k, v);
  for (const [k, v] of Object.entries(extra)) out.set(k, v);
  return out.toString();
}

/** Range picker and filters; applying them rewrites the URL (which reloads the view). */
export function Filters(props: { q: URLSearchParams }) {
  const { q } = props;
  const teamLocked = (session()?.teams?.length ?? 0) === 1;
  const meta = [...q].find(([k]) => k.startsWith('metadata.'));
  const [draft, setDraft] = useState<Record<string, string>>(() => ({
    ...Object.fromEntries(FILTER_PARAMS.map((k) => [k, q.get(k) ?? ''])),
    meta_key: meta ? meta[0].slice('metadata.'.length) : '',
    meta_value: meta ? meta[1] : '',
  }));
  const set = (k: string) => (e: Event) => setDraft({ ...draft, [k]: (e.target as HTMLInputElement).value });
  const apply = (e: Event) => {
    e.preventDefault();
    const changes: Record<string, string | null> = {};
    for (const k of FILTER_PARAMS) changes[k] = draft[k].trim() || null;
    for (const [k] of q) if (k.startsWith('metadata.')) changes[k] = null;
    if (draft.meta_key.trim()) changes[`metadata.${draft.meta_key.trim()}`] = draft.meta_value;
    changes.trace = null;
    navigate(withParams(q, changes));
  };
  const range = q.get('from') ? 'custom' : (q.get('range') ?? '24h');
  const text = (k: string, label: string, placeholder = 'any') => (
    <label>
      {label} <input name={k} value={draft[k]} placeholder={placeholder} onInput={set(k)} />
    </label>
  );
  return (
    <form class="filters" onSubmit={apply}>
      <label>
        Range{' '}
        <select name="range" value={range} onChange={(e) => navigate(withParams(q, { range: (e.target as HTMLSelectElement).value, from: null, to: null, trace: null }))}>
          {Object.keys(RANGES).map((r) => (
            <option value={r}>last {r}</option>
          ))}
          {range === 'custom' && <option value="custom">custom</option>}
        </select>
      </label>
      {!teamLocked && text('team', 'Team')}
      {text('key_id', 'Key id')}
      {text('model', 'Model')}
      {text('provider', 'Provider')}
      <label>
        Status{' '}
        <select name="status" value={draft.status} onChange={set('status')}>
          <option value="">any</option>
          <option value="ok">ok</option>
          <option value="error">error</option>
        </select>
      </label>
      {text('error_type', 'Error type')}
      <label>
        Metadata <input name="meta_key" value={draft.meta_key} placeholder="key" onInput={set('meta_key')} /> ={' '}
        <input name="meta_value" value={draft.meta_value} placeholder="value" onInput={set('meta_value')} />
      </label>
      <button type="submit">Apply</button>
    </form>
  );
}

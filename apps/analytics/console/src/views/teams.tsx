import { useState } from 'preact/hooks';
import { call, get } from '../api';
import { BudgetCell, type BudgetUse } from '../budget';
import { fmtInt, fmtUsd } from '../format';
import { useLoad } from '../router';
import { LimitsFields, limitsBody } from '../limits-fields';
import { Card, Failure } from '../ui';

interface Team {
  name: string;
  rpm: number | null;
  tpm: number | null;
  budget_usd: number | null;
  budget_period: string;
  source: string;
}
interface TeamUsage extends BudgetUse {
  window: { requests: number; tokens: number } | null;
}

const MONTH_MS = 30 * 86_400_000;

/** Teams with limits (admin API) and teams seen in the last 30 days of traffic (analytics), with both. */
async function loadTeams() {
  const now = Date.now();
  const [teams, traffic] = await Promise.all([
    get<{ data: Team[] }>('/admin/teams').then((r) => r.data),
    get<{ data: { team: string; requests: number; cost_usd: number }[] }>(`/analytics/usage?group_by=team&from=${now - MONTH_MS}&to=${now}`).then((r) => r.data),
  ]);
  const usage = await Promise.all(teams.map((t) => get<TeamUsage>(`/admin/teams/${encodeURIComponent(t.name)}/usage`).catch(() => null)));
  const byName = new Map(traffic.map((r) => [r.team, r]));
  const rows = teams.map((t, i) => ({ name: t.name, team: t as Team | null, usage: usage[i], traffic: byName.get(t.name) ?? null }));
  for (const r of traffic) if (r.team && !teams.some((t) => t.name === r.team)) rows.push({ name: r.team, team: null, usage: null, traffic: r });
  return rows;
}

/** Teams: limits and budgets (PUT /admin/teams/:team replaces them) with the current window and spend. */
export function TeamsView() {
  const { data, error, reload } = useLoad(loadTeams, []);
  const [editing, setEditing] = useState<Team | null>(null);
  return (
    <div class="grid">
      <Card title={editing?.name ? `Edit team ${editing.name}` : 'Set a team\'s limits'} wide>
        <TeamForm key={editing?.name ?? ''} team={editing} onSaved={() => { setEditing(null); reload(); }} />
      </Card>
      <Card title="Teams" wide>
        {error && <Failure error={error} />}
        <div class="scroll">
          <table id="table-teams" class="cards">
            <thead>
              <tr><th>team</th><th class="num">rpm</th><th class="num">tpm</th><th>budget use</th><th class="num">this minute</th><th class="num">requests (30 d)</th><th class="num">cost (30 d)</th><th class="opt">source</th><th /></tr>
            </thead>
            <tbody>
              {(data ?? []).length === 0 && <tr><td colSpan={9} class="muted">No team has limits or traffic yet.</td></tr>}
              {(data ?? []).map(({ name, team: t, usage: u, traffic }) => (
                <tr data-team={name}>
                  <td class="wrap" data-label="team">{name}</td>
                  <td class="num" data-label="rpm">{t?.rpm == null ? '—' : fmtInt(t.rpm)}</td>
                  <td class="num" data-label="tpm">{t?.tpm == null ? '—' : fmtInt(t.tpm)}</td>
                  <td data-label="budget use"><BudgetCell use={u} /></td>
                  <td class="num" data-label="this minute">{u?.window ? `${fmtInt(u.window.requests)} req, ${fmtInt(u.window.tokens)} tok` : '—'}</td>
                  <td class="num" data-label="requests (30 d)">{traffic ? fmtInt(traffic.requests) : '0'}</td>
                  <td class="num" data-label="cost (30 d)">{fmtUsd(traffic?.cost_usd ?? 0)}</td>
                  <td class="opt" data-label="source">{t?.source ?? 'no limits'}</td>
                  <td><button type="button" onClick={() => setEditing(t ?? { name, rpm: null, tpm: null, budget_usd: null, budget_period: 'month', source: 'admin' })}>{t ? 'Edit' : 'Set limits'}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
    </div>
  );
}

const str = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));

function TeamForm(props: { team: Team | null; onSaved: () => void }) {
  const t = props.team;
  const [f, setF] = useState({ name: t?.name ?? '', rpm: str(t?.rpm), tpm: str(t?.tpm), budget_usd: str(t?.budget_usd), budget_period: t?.budget_period ?? 'month' });
  const [error, setError] = useState<Error | null>(null);
  const set = (k: keyof typeof f) => (e: Event) => setF({ ...f, [k]: (e.target as HTMLInputElement).value });
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const { budget_period, ...limits } = limitsBody(f);
      await call(`/admin/teams/${encodeURIComponent(f.name.trim())}`, { method: 'PUT', body: { ...limits, ...(limits.budget_usd === null ? {} : { budget_period }) } });
      props.onSaved();
    } catch (err) {
      setError(err as Error);
    }
  };
  return (
    <form class="form" id="team-form" onSubmit={submit}>
      <label>Team<input name="team" value={f.name} onInput={set('name')} required readOnly={!!t} /></label>
      <LimitsFields f={f} set={set} />
      <button type="submit" class="primary">Save limits</button>
      {error && <Failure error={error} />}
    </form>
  );
}

/** The limit inputs a key and a team share: requests and tokens per minute, a budget and its period. */
export interface LimitsDraft {
  rpm: string;
  tpm: string;
  budget_usd: string;
  budget_period: string;
}

const num = (s: string) => (s.trim() === '' ? null : Number(s));

/** The API fields of a draft (blank = no limit). */
export function limitsBody(f: LimitsDraft) {
  return { rpm: num(f.rpm), tpm: num(f.tpm), budget_usd: num(f.budget_usd), budget_period: f.budget_period };
}

export function LimitsFields(props: { f: LimitsDraft; set: (k: keyof LimitsDraft) => (e: Event) => void }) {
  const { f, set } = props;
  return (
    <>
      <label>Requests / min<input name="rpm" type="number" min="1" value={f.rpm} onInput={set('rpm')} placeholder="no limit" /></label>
      <label>Tokens / min<input name="tpm" type="number" min="1" value={f.tpm} onInput={set('tpm')} placeholder="no limit" /></label>
      <label>Budget (USD)<input name="budget_usd" type="number" min="0" step="any" value={f.budget_usd} onInput={set('budget_usd')} placeholder="none" /></label>
      <label>Budget period
        <select name="budget_period" value={f.budget_period} onChange={set('budget_period')}>
          <option value="day">day</option><option value="month">month</option><option value="total">total</option>
        </select>
      </label>
    </>
  );
}

import type { GuardrailAction } from '@gatehouse/guardrails';
import type { RowOutcome, StoredRequest } from './backtest-policy';

export type ActionCounts = Record<GuardrailAction, number>;
const zero = (): ActionCounts => ({ none: 0, flag: 0, redact: 0, deny: 0 });

export interface CheckCounts {
  index: number;
  type: string;
  name: string | null;
  deny: number;
  redact: number;
  flag: number;
  error: number;
}

/** The counts of one backtest, bounded by the number of teams, models and checks (samples are capped). */
export class BacktestTally {
  readonly rows = { scanned: 0, evaluated: 0, skipped_no_bodies: 0, out_of_scope: 0 };
  readonly byAction = zero();
  private readonly byTeam = new Map<string, ActionCounts>();
  private readonly byModel = new Map<string, ActionCounts>();
  private readonly byCheck: Map<number, CheckCounts>;
  private readonly samples: Record<Exclude<GuardrailAction, 'none'>, string[]> = { deny: [], redact: [], flag: [] };
  private readonly transitions = new Map<string, { count: number; samples: string[] }>();
  private changed = 0;

  constructor(checks: Array<{ type: string; name?: string }>, private readonly maxSamples: number) {
    this.byCheck = new Map(checks.map((c, index) => [index, { index, type: c.type, name: c.name ?? null, deny: 0, redact: 0, flag: 0, error: 0 }]));
  }

  skipped(): void {
    this.rows.scanned++;
    this.rows.skipped_no_bodies++;
  }

  add(row: StoredRequest, candidate: RowOutcome, active: RowOutcome | null): void {
    this.rows.scanned++;
    this.rows.evaluated++;
    if (!candidate.inScope) this.rows.out_of_scope++;
    const action = candidate.action;
    this.byAction[action]++;
    bump(this.byTeam, row.team ?? '(none)', action);
    bump(this.byModel, row.model, action);
    if (action !== 'none' && this.samples[action].length < this.maxSamples) this.samples[action].push(row.request_id);
    for (const hit of candidate.checks) {
      const [index, kind] = hit.split(':') as [string, keyof Omit<CheckCounts, 'index' | 'type' | 'name'>];
      const c = this.byCheck.get(Number(index));
      if (c) c[kind]++;
    }
    if (active && active.action !== action) {
      this.changed++;
      const key = `${active.action}->${action}`;
      let t = this.transitions.get(key);
      if (!t) this.transitions.set(key, (t = { count: 0, samples: [] }));
      t.count++;
      if (t.samples.length < this.maxSamples) t.samples.push(row.request_id);
    }
  }

  view() {
    return {
      rows: { ...this.rows },
      by_action: { ...this.byAction },
      by_check: [...this.byCheck.values()],
      by_team: Object.fromEntries([...this.byTeam].sort(([a], [b]) => a.localeCompare(b))),
      by_model: Object.fromEntries([...this.byModel].sort(([a], [b]) => a.localeCompare(b))),
      samples: { deny: [...this.samples.deny], redact: [...this.samples.redact], flag: [...this.samples.flag] },
    };
  }

  /** How the candidate differs from the active version on the same rows: rows whose action changed, by "<active>-><candidate>". */
  diffView() {
    return { changed: this.changed, transitions: Object.fromEntries([...this.transitions].sort(([a], [b]) => a.localeCompare(b))) };
  }
}

function bump(map: Map<string, ActionCounts>, key: string, action: GuardrailAction): void {
  let counts = map.get(key);
  if (!counts) map.set(key, (counts = zero()));
  counts[action]++;
}

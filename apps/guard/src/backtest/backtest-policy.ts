import type { TraceTextRow } from '@gatehouse/clickhouse';
import type { CheckType, PolicyEvent } from '@gatehouse/contracts';
import { compilePolicies, CompiledPolicySet, type EvaluationContext, type GuardrailAction } from '@gatehouse/guardrails';
import { requestTexts, responseTexts } from './stored-texts';

/** Checks that call out (webhooks, the LLM judge) are not replayed on stored traffic. */
const NOT_REPLAYED: ReadonlySet<CheckType> = new Set<CheckType>(['webhook', 'llm_judge']);

/** A stored request as evaluated: its strongest action and the checks that did not pass, by index and configured action. */
export interface RowOutcome {
  action: GuardrailAction;
  inScope: boolean;
  /** `<check index>:<action>` or `<check index>:error`, once per check. */
  checks: Set<string>;
}

/** A stored request as a backtest reads it. */
export type StoredRequest = Omit<TraceTextRow, 'ts'>;

const RANK: Record<GuardrailAction, number> = { none: 0, flag: 1, redact: 2, deny: 3 };

/**
 * One policy version compiled for a backtest: as if enforced (a monitor policy shows what it would
 * do), scope as configured, checks that call out left out (listed in `notRun`). Throws
 * PolicyCompileError for a draft that does not compile.
 */
export class BacktestPolicy {
  readonly notRun: Array<{ index: number; type: string }>;
  private readonly set: CompiledPolicySet;

  constructor(readonly event: PolicyEvent) {
    const compiled = compilePolicies([{ ...event, policy: { ...event.policy, mode: 'enforce' } }]);
    const scoped = compiled.policies[0]!;
    if (scoped.policy.compileError) throw new Error(scoped.policy.compileError);
    const entries = scoped.policy.entries.filter((e) => !NOT_REPLAYED.has(e.config.type));
    this.notRun = scoped.policy.entries.filter((e) => NOT_REPLAYED.has(e.config.type)).map((e) => ({ index: e.index, type: e.config.type }));
    this.set = new CompiledPolicySet([{ ...scoped, policy: { ...scoped.policy, entries } }]);
  }

  /** Evaluates a stored request's input and (when kept) output texts. */
  evaluate(row: StoredRequest): RowOutcome {
    const ctx: EvaluationContext = { requestId: row.request_id, team: row.team, keyId: row.key_id, keyName: row.key_name ?? undefined, model: row.model };
    if (this.set.inScope(ctx).length === 0) return { action: 'none', inScope: false, checks: new Set() };
    const outcome: RowOutcome = { action: 'none', inScope: true, checks: new Set() };
    const stages: Array<['input' | 'output', string[]]> = [];
    if (row.request_body !== null) stages.push(['input', requestTexts(row.request_body)]);
    if (row.response_body !== null) stages.push(['output', responseTexts(row.response_body)]);
    for (const [stage, texts] of stages) {
      const r = this.set.evaluate(stage, texts, ctx);
      if (r instanceof Promise) throw new Error('a backtest evaluates only checks that answer synchronously');
      if (RANK[r.action] > RANK[outcome.action]) outcome.action = r.action;
      for (const v of r.verdicts) outcome.checks.add(`${v.check_index}:${v.outcome === 'error' ? 'error' : v.action}`);
    }
    return outcome;
  }
}

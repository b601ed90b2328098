import { randomUUID } from 'node:crypto';
import type { Check, GuardAction, Stage, Verdict } from '@gatehouse/contracts';
import type { CheckVerdict, GuardCheck, Span } from './check';
import type { Placeholders } from './placeholders';
import type { LlmJudgeConfig } from './judge';
import type { WebhookConfig, WebhookPayload } from './webhook';

/** Who is asking: the caller fills this from the authenticated key and the parsed request. */
export interface EvaluationContext {
  readonly requestId: string;
  readonly team: string | null;
  readonly keyId: string | null;
  readonly keyName?: string;
  /** The model the client requested (scope.models and model_allowlist match this). */
  readonly model: string;
  /** Policies attached to the key: they apply in addition to the policies whose scope matches (see policy-set.ts). */
  readonly policyIds?: readonly string[];
  /** The client's requested max_tokens (max_tokens check). */
  readonly maxTokens?: number;
  /** Where the evaluated text i came from (see CheckInput.labelOf); called only when a check names a text. */
  readonly labelOf?: (text: number) => string;
  /** Time the synchronous checks of one stage may take (default DEFAULT_GUARDRAIL_BUDGET_MS); see GuardrailBudgetExceeded. */
  readonly budgetMs?: number;
  /** One per request, shared by the input and output stages, so placeholders stay consistent. */
  readonly placeholders?: Placeholders;
}

export type GuardrailAction = 'none' | 'flag' | 'redact' | 'deny';

/** An `async: true` webhook or LLM judge the inline path did not run; the guard workers run it (runDeferredCheck) and emit its verdict. */
export interface DeferredCheck {
  readonly policyId: string;
  readonly policyVersion: number;
  readonly checkIndex: number;
  readonly mode: 'enforce' | 'monitor';
  readonly stage: Stage;
  readonly config: WebhookConfig | LlmJudgeConfig;
  readonly payload: WebhookPayload;
  readonly requestId: string;
}

export interface EvaluationResult {
  /** What the caller must do: deny > redact > flag > none. Monitor-mode policies never contribute. */
  readonly action: GuardrailAction;
  /** The texts after redaction (same order as given; the input array is not modified). */
  readonly texts: string[];
  readonly changed: boolean;
  /** One record per (policy, check) that did not pass, ready for gatehouse.verdicts.v1. */
  readonly verdicts: Verdict[];
  readonly deferred: DeferredCheck[];
  /** For the x-gatehouse-guardrails header; null when nothing was flagged, redacted or denied. */
  readonly summary: string | null;
  /** The first denying policy (by evaluation order) and its failed check types: the 400's code and details. */
  readonly denied: { readonly policyId: string; readonly checks: string[] } | null;
  readonly placeholders: Placeholders;
  /** Credentials a check matched (Span.secret), whatever the action or mode: never to be stored as they are. */
  readonly secrets: readonly string[];
}

/** A compiled policy as the evaluator sees it. */
export interface CompiledPolicy {
  readonly id: string;
  readonly version: number;
  readonly mode: 'enforce' | 'monitor';
  readonly onError: 'deny' | 'allow';
  readonly entries: readonly CheckEntry[];
  /** Set when the policy failed to compile: in scope, it yields one error verdict (fails closed unless on_error: allow). */
  readonly compileError: string | null;
}

export interface CheckEntry {
  readonly policy: CompiledPolicy;
  readonly index: number;
  readonly config: Check;
  readonly check: GuardCheck;
}

export const DEFAULT_GUARDRAIL_BUDGET_MS = 500;

/**
 * The outcome of a check that would have started after the stage's time budget was spent (a
 * backstop: every built-in check is linear, but a 10 MB body under many checks adds up). The
 * policy's `on_error` decides, whatever the check's action: `deny` denies, `allow` lets it pass
 * with an error verdict. A check already running is not interrupted.
 */
export class GuardrailBudgetExceeded extends Error {
  constructor(budgetMs: number) {
    super(`guardrail time budget of ${budgetMs} ms exceeded before this check ran`);
    this.name = 'GuardrailBudgetExceeded';
  }
}

const RANK: Record<GuardrailAction, number> = { none: 0, flag: 1, redact: 2, deny: 3 };

/** Collects check outcomes of one stage into verdicts, redaction spans and the resulting action. */
export class VerdictCollector {
  readonly verdicts: Verdict[] = [];
  readonly redactSpans: Span[] = [];
  readonly secrets: string[] = [];
  private readonly byCheck = new Map<string, Verdict>();
  private readonly applied: string[] = [];
  action: GuardrailAction = 'none';
  denied: { policyId: string; checks: string[] } | null = null;

  constructor(private readonly stage: Stage, private readonly ctx: EvaluationContext) {}

  add(policy: CompiledPolicy, index: number, checkType: string, action: GuardAction, outcome: CheckVerdict | Error): void {
    const enforce = policy.mode === 'enforce';
    let effect: GuardrailAction = 'none';
    let verdictOutcome: 'fail' | 'error' = 'fail';
    let score: number | null = null;
    let details: readonly string[];
    if (outcome instanceof Error) {
      verdictOutcome = 'error';
      details = [`error:${outcome.message}`];
      if (policy.onError === 'deny' && (action === 'deny' || outcome instanceof GuardrailBudgetExceeded)) effect = 'deny';
    } else {
      if (outcome.pass) return;
      for (const s of outcome.spans) if (s.secret !== undefined) this.secrets.push(s.secret);
      score = outcome.score;
      details = outcome.details;
      if (action === 'redact') effect = outcome.spans.length > 0 ? 'redact' : 'flag';
      else effect = action;
      if (enforce && effect === 'redact') this.redactSpans.push(...outcome.spans);
    }
    const applied = enforce && effect !== 'none';
    const key = `${policy.id}\u0000${index}`;
    const known = this.byCheck.get(key);
    if (known) {
      known.details = [...new Set([...known.details, ...details])].sort();
      if (score !== null) known.score = Math.max(known.score ?? 0, score);
      known.applied ||= applied;
    } else {
      const verdict: Verdict = {
        verdict_id: randomUUID(),
        request_id: this.ctx.requestId,
        ts: Date.now(),
        policy_id: policy.id,
        policy_version: policy.version,
        check_index: index,
        check_type: checkType,
        stage: this.stage,
        action,
        outcome: verdictOutcome,
        mode: policy.mode,
        applied,
        score,
        details: [...details],
        async: false,
        key_id: this.ctx.keyId,
        team: this.ctx.team,
        model: this.ctx.model,
      };
      this.byCheck.set(key, verdict);
      this.verdicts.push(verdict);
    }
    if (!applied) return;
    if (!this.applied.includes(`${policy.id}.${checkType}=${effect}`)) this.applied.push(`${policy.id}.${checkType}=${effect}`);
    if (RANK[effect] > RANK[this.action]) this.action = effect;
    if (effect === 'deny') {
      if (!this.denied) this.denied = { policyId: policy.id, checks: [checkType] };
      else if (this.denied.policyId === policy.id && !this.denied.checks.includes(checkType)) this.denied.checks.push(checkType);
    }
  }

  /** `<action>; <policy>.<check>=<effect>, ...` in evaluation order, or null when nothing was applied. */
  summary(): string | null {
    return this.action === 'none' ? null : `${this.action}; ${this.applied.join(', ')}`;
  }
}

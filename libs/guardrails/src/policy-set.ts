import { type PolicyEvent, type Stage, compileGlobs, type GlobMatcher } from '@gatehouse/contracts';
import { PolicyCompileError, type CheckContext, type CheckVerdict, type MaybePromise } from './check';
import {
  DEFAULT_GUARDRAIL_BUDGET_MS,
  GuardrailBudgetExceeded,
  VerdictCollector,
  type CheckEntry,
  type CompiledPolicy,
  type DeferredCheck,
  type EvaluationContext,
  type EvaluationResult,
} from './evaluation';
import { Placeholders } from './placeholders';
import { applyRedactions, planRedactions } from './redact';
import { createCheck } from './registry';
import { TextAnalysis } from './text-analysis';
import type { LlmJudgeConfig } from './judge';
import type { WebhookConfig } from './webhook';

/**
 * The policy evaluator.
 *
 * Scope: a policy applies to a request when its scope matches the team AND the key (its id or
 * its name) AND the requested model (globs, `*` and `?`). A policy attached to the key
 * (`ctx.policyIds`) applies as well, whatever its scope.teams/scope.keys say: only its
 * scope.models still restricts it. So a policy meant only for attachment uses `teams: []`.
 *
 * Order (deterministic): policies by id, checks in file order. Every check in scope runs (no
 * short-circuit), so every failing check gets its verdict. Deny wins over redact over flag.
 * Redactions of all redacting checks compose: overlapping spans merge into one placeholder. A check
 * of stage `both` runs on input and output. Sync webhooks and LLM judges run after the other
 * checks, on the redacted texts; `async: true` ones are returned as deferred work.
 *
 * Monitor mode: the checks run and their verdicts are recorded with applied=false; nothing is
 * denied, redacted or put in the summary.
 *
 * Errors: a check that throws or times out yields an `error` verdict; for a `deny` check it
 * denies unless the policy says `on_error: allow`. Other actions fail open (recorded only). Past
 * the stage's time budget (ctx.budgetMs) the remaining checks are not run: each yields an error
 * verdict and the policy's on_error decides (GuardrailBudgetExceeded).
 */
export class CompiledPolicySet {
  private readonly byId: ReadonlyMap<string, CompiledPolicy>;

  constructor(readonly policies: readonly ScopedPolicy[]) {
    this.byId = new Map(policies.map((p) => [p.policy.id, p.policy]));
  }

  get(id: string): CompiledPolicy | undefined {
    return this.byId.get(id);
  }

  /** The policies in scope for a request, in evaluation order. */
  inScope(ctx: EvaluationContext): CompiledPolicy[] {
    const out: CompiledPolicy[] = [];
    for (const p of this.policies) {
      if (!p.models(ctx.model)) continue;
      const attached = ctx.policyIds?.includes(p.policy.id) ?? false;
      if (attached || (p.teams(ctx.team) && (p.keys(ctx.keyId) || p.keys(ctx.keyName)))) out.push(p.policy);
    }
    return out;
  }

  /** Check entries of the in-scope policies that run at `stage`. */
  entriesFor(stage: Stage, ctx: EvaluationContext): { policies: CompiledPolicy[]; entries: CheckEntry[] } {
    const policies = this.inScope(ctx);
    const entries: CheckEntry[] = [];
    for (const p of policies) for (const e of p.entries) if (runsAt(e, stage)) entries.push(e);
    return { policies, entries };
  }

  /**
   * Evaluates the texts of one stage. Returns a plain object when no synchronous webhook is in
   * scope (the common case: no promise on the hot path), a Promise otherwise.
   */
  evaluate(stage: Stage, texts: readonly string[], ctx: EvaluationContext): MaybePromise<EvaluationResult> {
    const { policies, entries } = this.entriesFor(stage, ctx);
    const placeholders = ctx.placeholders ?? new Placeholders();
    const collector = new VerdictCollector(stage, ctx);
    if (policies.length === 0) return finish(collector, texts, texts.slice(), [], placeholders);
    for (const p of policies) if (p.compileError) collector.add(p, 0, 'policy', 'deny', new Error(p.compileError));
    const input = { stage, texts, labelOf: ctx.labelOf, analyses: texts.map((t) => new TextAnalysis(t)) };
    const checkCtx = toCheckContext(ctx);
    const webhooks: CheckEntry[] = [];
    const asyncHooks: CheckEntry[] = [];
    const budgetMs = ctx.budgetMs ?? DEFAULT_GUARDRAIL_BUDGET_MS;
    const deadline = performance.now() + budgetMs;
    for (const e of entries) {
      if (e.config.type === 'webhook' || e.config.type === 'llm_judge') {
        (e.config.async ? asyncHooks : webhooks).push(e);
        continue;
      }
      const outcome = performance.now() > deadline ? new GuardrailBudgetExceeded(budgetMs) : runSync(e, input, checkCtx);
      collector.add(e.policy, e.index, e.config.type, e.config.action, outcome);
    }
    const redacted = applyRedactions(texts, planRedactions(collector.redactSpans, texts, placeholders));
    const deferred = asyncHooks.map((e) => defer(e, stage, redacted, ctx));
    if (webhooks.length === 0) return finish(collector, texts, redacted, deferred, placeholders);
    const hookInput = { stage, texts: redacted };
    return Promise.all(webhooks.map((e) => settle(e.check.evaluate(hookInput, checkCtx)))).then((outcomes) => {
      outcomes.forEach((o, i) => collector.add(webhooks[i].policy, webhooks[i].index, webhooks[i].config.type, webhooks[i].config.action, o));
      return finish(collector, texts, redacted, deferred, placeholders);
    });
  }
}

export interface ScopedPolicy {
  readonly policy: CompiledPolicy;
  readonly teams: GlobMatcher;
  readonly keys: GlobMatcher;
  readonly models: GlobMatcher;
}

export function runsAt(e: CheckEntry, stage: Stage): boolean {
  return e.config.stage === 'both' || e.config.stage === stage;
}

export function toCheckContext(ctx: EvaluationContext): CheckContext {
  return { requestId: ctx.requestId, team: ctx.team, keyId: ctx.keyId, model: ctx.model, maxTokens: ctx.maxTokens };
}

/** Runs a synchronous check; a thrown error (or an unexpected promise) becomes an Error outcome. */
export function runSync(e: CheckEntry, input: { stage: Stage; texts: readonly string[] }, ctx: CheckContext): CheckVerdict | Error {
  try {
    const v = e.check.evaluate(input, ctx);
    if (v instanceof Promise) {
      v.catch(() => undefined);
      return new Error('check returned a promise on the synchronous path');
    }
    return v;
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

export function settle(p: MaybePromise<CheckVerdict>): Promise<CheckVerdict | Error> {
  return Promise.resolve(p).then(
    (v) => v,
    (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
  );
}

export function defer(e: CheckEntry, stage: Stage, texts: readonly string[], ctx: EvaluationContext): DeferredCheck {
  return {
    policyId: e.policy.id,
    policyVersion: e.policy.version,
    checkIndex: e.index,
    mode: e.policy.mode,
    stage,
    config: e.config as WebhookConfig | LlmJudgeConfig,
    payload: { stage, text: texts.join('\n\n'), model: ctx.model, team: ctx.team, key_id: ctx.keyId },
    requestId: ctx.requestId,
  };
}

function finish(
  c: VerdictCollector,
  original: readonly string[],
  texts: string[],
  deferred: DeferredCheck[],
  placeholders: Placeholders,
): EvaluationResult {
  const changed = texts.some((t, i) => t !== original[i]);
  return { action: c.action, texts, changed, verdicts: c.verdicts, deferred, summary: c.summary(), denied: c.denied, placeholders, secrets: c.secrets };
}

/** Compiles one policy version; a check that does not compile throws PolicyCompileError naming `checks[i].<field>`. */
export function compilePolicy(event: PolicyEvent): CompiledPolicy {
  const entries: CheckEntry[] = [];
  const policy: CompiledPolicy = {
    id: event.policy.id,
    version: event.version,
    mode: event.policy.mode,
    onError: event.policy.on_error,
    entries,
    compileError: null,
  };
  event.policy.checks.forEach((config, index) => {
    try {
      entries.push({ policy, index, config, check: createCheck(config) });
    } catch (err) {
      if (err instanceof PolicyCompileError) throw new PolicyCompileError(`checks[${index}].${err.path}`, err.message.slice(err.path.length + 2));
      throw new PolicyCompileError(`checks[${index}]`, (err as Error).message);
    }
  });
  return policy;
}

/**
 * Compiles the latest version of each policy (regexes, schemas and globs once per version). Pass
 * the previous set to reuse policies whose (id, version) did not change. A policy that fails to
 * compile is kept as a broken policy: in scope, it fails closed (see CompiledPolicy.compileError).
 */
export function compilePolicies(events: readonly PolicyEvent[], previous?: CompiledPolicySet): CompiledPolicySet {
  const latest = new Map<string, PolicyEvent>();
  for (const e of events) {
    const known = latest.get(e.policy.id);
    if (!known || known.version < e.version) latest.set(e.policy.id, e);
  }
  const scoped = [...latest.values()]
    .sort((a, b) => (a.policy.id < b.policy.id ? -1 : a.policy.id > b.policy.id ? 1 : 0))
    .map((e): ScopedPolicy => {
      const reused = previous?.policies.find((p) => p.policy.id === e.policy.id && p.policy.version === e.version);
      if (reused) return reused;
      let policy: CompiledPolicy;
      try {
        policy = compilePolicy(e);
      } catch (err) {
        policy = { id: e.policy.id, version: e.version, mode: e.policy.mode, onError: e.policy.on_error, entries: [], compileError: (err as Error).message };
      }
      const { teams, keys, models } = e.policy.scope;
      return { policy, teams: compileGlobs(teams), keys: compileGlobs(keys), models: compileGlobs(models) };
    });
  return new CompiledPolicySet(scoped);
}

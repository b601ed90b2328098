import { type GuardrailSummary, type Verdict, GatewayError } from '@gatehouse/contracts';
import { type CompiledPolicySet, type EvaluationContext, type EvaluationResult, Placeholders } from '@gatehouse/guardrails';
import { CredentialMask } from '@gatehouse/observability';
import type { RequestContext } from '../pipeline/request-context';
import type { VerdictSink } from './verdict-sink';

const RANK = { none: 0, flag: 1, redact: 2, deny: 3 } as const;

/** Evaluation context shared by the input and output stages of one request (same placeholders); `labelOf` names the stage's texts. */
export function evaluationContext(ctx: RequestContext, maxTokens: number | undefined, placeholders: Placeholders, labelOf?: (text: number) => string): EvaluationContext {
  return {
    requestId: ctx.requestId,
    team: ctx.key?.team ?? null,
    keyId: ctx.key?.id ?? null,
    keyName: ctx.key?.name,
    model: ctx.modelRequested,
    policyIds: ctx.key?.policies,
    maxTokens,
    placeholders,
    labelOf,
  };
}

/** Records a stage's result on the request (trace summary, response header) and hands its verdicts and deferred checks on. */
export function recordResult(ctx: RequestContext, set: CompiledPolicySet, result: EvaluationResult, sink: VerdictSink): void {
  if (result.secrets.length > 0) ctx.secrets = new CredentialMask([...(ctx.secrets?.values ?? []), ...result.secrets]);
  if (result.verdicts.length === 0 && result.deferred.length === 0) return;
  sink.publish(result.verdicts, result.deferred);
  mergeSummary(ctx.guardrails, result.verdicts, result.action);
  if (result.summary) ctx.guardrailsHeader = ctx.guardrailsHeader ? `${ctx.guardrailsHeader} | ${result.summary}` : result.summary;
  void set;
}

function mergeSummary(s: GuardrailSummary, verdicts: readonly Verdict[], action: EvaluationResult['action']): void {
  if (RANK[action] > RANK[s.action]) s.action = action;
  for (const v of verdicts) {
    if (!s.policies.some((p) => p.id === v.policy_id && p.version === v.policy_version)) s.policies.push({ id: v.policy_id, version: v.policy_version });
    if (!v.applied) continue;
    if (v.action === 'deny') s.denied++;
    else if (v.action === 'redact') s.redacted++;
    else s.flagged++;
  }
}

/** 400 guardrail_violation naming the policy, its version and the failed checks; never the offending text. */
export function denialError(set: CompiledPolicySet, result: EvaluationResult, stage: 'input' | 'output'): GatewayError {
  const denied = result.denied!;
  const version = set.get(denied.policyId)?.version ?? null;
  return new GatewayError(
    400,
    'guardrail_violation',
    `${stage === 'input' ? 'request' : 'response'} blocked by guardrail policy "${denied.policyId}"${version ? ` (version ${version})` : ''}: failed checks: ${denied.checks.join(', ')}`,
    { code: denied.policyId, details: { policy_id: denied.policyId, policy_version: version, stage, checks: denied.checks } },
  );
}


import type { CanonicalRequest } from '@gatehouse/formats';
import { type EvaluationResult, Placeholders } from '@gatehouse/guardrails';
import type { InputGuard } from '../pipeline/input-guard';
import type { RequestContext } from '../pipeline/request-context';
import { denialError, evaluationContext, recordResult } from './policy-evaluation';
import type { PolicyCache } from './policy-cache.service';
import { requestTextParts } from './request-texts';
import { textOrigin } from './text-origin';
import type { VerdictSink } from './verdict-sink';

/** Input checks before routing: deny → 400 guardrail_violation; redact → the request is rewritten before it goes upstream. */
export class PolicyInputGuard implements InputGuard {
  constructor(
    private readonly policies: PolicyCache,
    private readonly sink: VerdictSink,
  ) {}

  apply(ctx: RequestContext, request: CanonicalRequest): Promise<{ changed: boolean }> | { changed: boolean } {
    const set = this.policies.current();
    if (set.policies.length === 0) return { changed: false };
    const placeholders = new Placeholders();
    ctx.placeholders = placeholders;
    const parts = requestTextParts(request);
    const labelOf = (i: number) => textOrigin(request, parts[i]);
    const result = set.evaluate('input', parts.map((p) => p.text), { ...evaluationContext(ctx, request.max_tokens, placeholders, labelOf), budgetMs: this.policies.budgetMs });
    const settle = (r: EvaluationResult) => {
      recordResult(ctx, set, r, this.sink);
      if (r.action === 'deny') throw denialError(set, r, 'input');
      if (r.changed) parts.forEach((p, i) => (p.text = r.texts[i]));
      if (r.changed && ctx.requestBody !== null) ctx.requestBody = JSON.stringify({ model: request.model, system: request.system, messages: request.messages, tools: request.tools });
      return { changed: r.changed };
    };
    return result instanceof Promise ? result.then(settle) : settle(result);
  }
}

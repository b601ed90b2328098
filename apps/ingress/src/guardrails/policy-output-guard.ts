import type { CanonicalResponse, StreamEvent, TextPart } from '@gatehouse/formats';
import { type CompiledPolicySet, type EvaluationContext, type EvaluationResult, createStreamGuard, type StreamGuard, type StreamStep, Placeholders } from '@gatehouse/guardrails';
import type { OutputGuard, OutputGuardSession, StreamFilter } from '../pipeline/output-guard';
import type { RequestContext } from '../pipeline/request-context';
import { denialError, evaluationContext, recordResult } from './policy-evaluation';
import type { PolicyCache } from './policy-cache.service';
import { jsonFields, responseTextParts } from './request-texts';
import type { VerdictSink } from './verdict-sink';

/**
 * Output checks: whole responses (text and tool-call arguments) before they leave; streams through
 * a sliding-window guard per text block, and each tool call's arguments checked whole when its
 * block ends (they are held until then: a partial argument is of no use to the client anyway).
 */
export class PolicyOutputGuard implements OutputGuard {
  constructor(
    private readonly policies: PolicyCache,
    private readonly sink: VerdictSink,
  ) {}

  session(ctx: RequestContext): OutputGuardSession | null {
    const set = this.policies.current();
    if (set.policies.length === 0) return null;
    const placeholders = ctx.placeholders ?? (ctx.placeholders = new Placeholders());
    const ectx = { ...evaluationContext(ctx, undefined, placeholders), budgetMs: this.policies.budgetMs };
    if (set.entriesFor('output', ectx).entries.length === 0) return null;
    return new Session(ctx, set, ectx, this.sink);
  }
}

class Session implements OutputGuardSession {
  constructor(
    private readonly ctx: RequestContext,
    private readonly set: CompiledPolicySet,
    private readonly ectx: EvaluationContext,
    private readonly sink: VerdictSink,
  ) {}

  checkResponse(res: CanonicalResponse): boolean | Promise<boolean> {
    const parts = responseTextParts(res);
    const result = this.set.evaluate('output', parts.map((p) => p.text), this.ectx);
    const settle = (r: EvaluationResult) => {
      recordResult(this.ctx, this.set, r, this.sink);
      if (r.action === 'deny') throw denialError(this.set, r, 'output');
      if (r.changed) parts.forEach((p, i) => (p.text = r.texts[i]));
      return r.changed;
    };
    return result instanceof Promise ? result.then(settle) : settle(result);
  }

  streamFilter(): StreamFilter {
    return new GuardedStream(this.ctx, this.set, this.ectx, this.sink);
  }
}

/** One stream guard per text block: held text is released (redacted) before that block closes. Tool-call arguments are held per block and checked whole. */
class GuardedStream implements StreamFilter {
  private readonly open = new Map<number, StreamGuard>();
  private readonly args = new Map<number, string>();
  private denied: EvaluationResult | null = null;

  constructor(
    private readonly ctx: RequestContext,
    private readonly set: CompiledPolicySet,
    private readonly ectx: EvaluationContext,
    private readonly sink: VerdictSink,
  ) {}

  push(ev: StreamEvent): StreamEvent[] | null | Promise<StreamEvent[] | null> {
    if (ev.type === 'text_delta') {
      let guard = this.open.get(ev.index);
      if (!guard) this.open.set(ev.index, (guard = createStreamGuard(this.set, this.ectx)));
      const step = guard.push(ev.text);
      if (step.stop) return this.stop(guard);
      return step.emit ? [{ type: 'text_delta', index: ev.index, text: step.emit }] : [];
    }
    if (ev.type === 'tool_call_delta') {
      this.args.set(ev.index, (this.args.get(ev.index) ?? '') + ev.arguments);
      return [];
    }
    if (ev.type === 'block_stop' && this.args.has(ev.index)) return this.checkArguments(ev.index, [ev]);
    if (ev.type === 'block_stop' && this.open.has(ev.index)) return this.close(ev.index, [ev]);
    if ((ev.type === 'stop' || ev.type === 'error') && (this.open.size > 0 || this.args.size > 0)) return this.closeAll([ev]);
    return [ev];
  }

  end(): StreamEvent[] | null | Promise<StreamEvent[] | null> {
    return this.closeAll([]);
  }

  /** Checks one tool call's whole arguments: released (redacted) as one delta, or null on deny. */
  private checkArguments(index: number, after: StreamEvent[]): StreamEvent[] | null | Promise<StreamEvent[] | null> {
    let json = this.args.get(index)!;
    this.args.delete(index);
    const parts: TextPart[] = [];
    jsonFields('tool_call.arguments', json, (j) => (json = j), parts);
    const settle = (r: EvaluationResult): StreamEvent[] | null => {
      recordResult(this.ctx, this.set, r, this.sink);
      if (r.action === 'deny') {
        this.denied = r;
        this.ctx.errorType = 'guardrail_violation';
        return null;
      }
      if (r.changed) parts.forEach((p, i) => (p.text = r.texts[i]));
      return json === '' ? after : [{ type: 'tool_call_delta', index, arguments: json }, ...after];
    };
    const result = this.set.evaluate('output', parts.map((p) => p.text), this.ectx);
    return result instanceof Promise ? result.then(settle) : settle(result);
  }

  denial(): { type: string; message: string } {
    const err = denialError(this.set, this.denied!, 'output');
    return { type: 'guardrail_violation', message: err.message };
  }

  private stop(guard: StreamGuard): null {
    this.denied = guard.result();
    this.finishGuard(guard);
    this.ctx.errorType = 'guardrail_violation';
    return null;
  }

  private close(index: number, after: StreamEvent[]): StreamEvent[] | null | Promise<StreamEvent[] | null> {
    const guard = this.open.get(index)!;
    this.open.delete(index);
    const settle = (step: StreamStep): StreamEvent[] | null => {
      if (step.stop) return this.stop(guard);
      this.finishGuard(guard);
      return step.emit ? [{ type: 'text_delta', index, text: step.emit }, ...after] : after;
    };
    const step = guard.end();
    return step instanceof Promise ? step.then(settle) : settle(step);
  }

  /** Closes a held block: a text guard or a tool call's arguments. */
  private closeBlock(index: number): StreamEvent[] | null | Promise<StreamEvent[] | null> {
    return this.args.has(index) ? this.checkArguments(index, []) : this.close(index, []);
  }

  private async closeAllAsync(indices: number[], after: StreamEvent[]): Promise<StreamEvent[] | null> {
    const out: StreamEvent[] = [];
    for (const i of indices) {
      const r = await this.closeBlock(i);
      if (r === null) return null;
      out.push(...r);
    }
    return [...out, ...after];
  }

  private closeAll(after: StreamEvent[]): StreamEvent[] | null | Promise<StreamEvent[] | null> {
    const indices = [...this.open.keys(), ...this.args.keys()];
    const out: StreamEvent[] = [];
    for (let n = 0; n < indices.length; n++) {
      const r = this.closeBlock(indices[n]);
      if (r instanceof Promise) {
        const prefix = out.slice();
        return r.then((first) =>
          first === null ? null : this.closeAllAsync(indices.slice(n + 1), after).then((rest) => (rest === null ? null : [...prefix, ...first, ...rest])),
        );
      }
      if (r === null) return null;
      out.push(...r);
    }
    return [...out, ...after];
  }

  private finishGuard(guard: StreamGuard): void {
    recordResult(this.ctx, this.set, guard.result(), this.sink);
  }
}

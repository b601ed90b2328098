import type { MaybePromise } from './check';
import { VerdictCollector, type CheckEntry, type DeferredCheck, type EvaluationContext, type EvaluationResult } from './evaluation';
import { Placeholders } from './placeholders';
import { defer, runSync, settle, toCheckContext, type CompiledPolicySet } from './policy-set';
import { applyRedactions, planRedactions } from './redact';
import { charTable, inTable } from './text-scan';

/**
 * Output guard for streams: text deltas in, text that is safe to emit out, without buffering the
 * whole answer before the client sees it.
 *
 * Held back (the added latency): the last STREAM_WINDOW (96) characters, extended back to the
 * start of the token they cut (a run of [A-Za-z0-9_+/=.:@%-]: a key, an email or an IP address is
 * never split; whitespace, quotes, brackets and non-ASCII text end a token) and to the start of any
 * match that reaches into them or could still grow. So a client sees text about 96 characters
 * (~25 tokens) later than without the guard; when something suspicious keeps growing (a PEM
 * block) the hold extends up to STREAM_MAX_HOLD (8192) characters, then the held text is
 * released with its matches redacted. When no windowed check is in scope, deltas pass through.
 *
 * Windowed checks (pii, secrets, prompt_injection, regex, keywords, invisible_text) run on the
 * held text at each delta; their redactions apply before release; an enforced deny stops the
 * stream (push/end return `stop: true`; the caller ends the stream with a guardrail error, the
 * text released before that has gone). Checks that need the whole answer (json_schema,
 * max_tokens) and sync webhooks run at end() on the whole answer and can only stop the stream's
 * tail. A pattern longer than the window that only matches once complete (a user regex spanning
 * more than 96 characters of several words) can be released in part before it matches.
 */
export const STREAM_WINDOW = 96;
export const STREAM_MAX_HOLD = 8192;

export interface StreamStep {
  /** Text to send to the client now (possibly empty). */
  readonly emit: string;
  /** True once an enforced deny fired: send nothing more, end with a guardrail error. */
  readonly stop: boolean;
}

export interface StreamGuard {
  push(delta: string): StreamStep;
  /** Flushes the held text and runs the whole-answer checks; a Promise only when a sync webhook is in scope. */
  end(): MaybePromise<StreamStep>;
  /** Verdicts, action, summary and deferred checks so far (complete after end()); `texts[0]` is the text released. */
  result(): EvaluationResult;
}

export interface StreamGuardOptions {
  readonly window?: number;
  readonly maxHold?: number;
}

/** Characters a key, token, email or IP address is made of: the release point never falls between two of them. */
const TOKEN_CHAR = charTable(/[A-Za-z0-9_+\/=.:@%-]/);
const splits = (buf: string, r: number): boolean => r > 0 && r < buf.length && inTable(TOKEN_CHAR, buf.charCodeAt(r - 1)) && inTable(TOKEN_CHAR, buf.charCodeAt(r));

export function createStreamGuard(set: CompiledPolicySet, ctx: EvaluationContext, options: StreamGuardOptions = {}): StreamGuard {
  const window = options.window ?? STREAM_WINDOW;
  const maxHold = Math.max(options.maxHold ?? STREAM_MAX_HOLD, window * 2);
  const placeholders = ctx.placeholders ?? new Placeholders();
  const fullCtx = { ...ctx, placeholders };
  const { policies, entries } = set.entriesFor('output', fullCtx);
  const windowed = entries.filter((e) => e.check.windowed);
  const whole = entries.filter((e) => !e.check.windowed && e.config.type !== 'webhook');
  const hooks = entries.filter((e) => e.config.type === 'webhook' && !e.config.async);
  const asyncHooks = entries.filter((e) => e.config.type === 'webhook' && e.config.async);
  const collector = new VerdictCollector('output', fullCtx);
  for (const p of policies) if (p.compileError) collector.add(p, 0, 'policy', 'deny', new Error(p.compileError));
  const checkCtx = toCheckContext(fullCtx);
  const keepOriginal = whole.length > 0;
  let original = '';
  let released = '';
  let changed = false;
  let buf = '';
  let stopped = collector.action === 'deny';
  let deferred: DeferredCheck[] = [];

  const STOP: StreamStep = { emit: '', stop: true };

  function runAll(list: readonly CheckEntry[], texts: readonly string[]): void {
    const input = { stage: 'output' as const, texts };
    for (const e of list) collector.add(e.policy, e.index, e.config.type, e.config.action, runSync(e, input, checkCtx));
  }

  /** Releases buf[0, r) with its redactions; `final` releases everything. */
  function release(final: boolean): StreamStep {
    collector.redactSpans.length = 0;
    runAll(windowed, [buf]);
    if (collector.action === 'deny') {
      stopped = true;
      return STOP;
    }
    const spans = collector.redactSpans.slice();
    let r = final ? buf.length : buf.length - window;
    if (!final) {
      let moved = true;
      while (moved && r > 0) {
        moved = false;
        while (splits(buf, r)) r--;
        for (const s of spans) {
          if (s.start < r && (s.end > r || s.end >= buf.length)) {
            r = s.start;
            moved = true;
          }
        }
      }
      if (r <= 0) {
        if (buf.length <= maxHold) return { emit: '', stop: false };
        r = buf.length;
      }
    }
    const head = buf.slice(0, r);
    const inHead = spans.filter((s) => s.end <= r);
    const out = inHead.length > 0 ? applyRedactions([head], planRedactions(inHead, [head], placeholders))[0] : head;
    if (out !== head) changed = true;
    buf = buf.slice(r);
    released += out;
    return { emit: out, stop: false };
  }

  function finishWhole(): MaybePromise<StreamStep> {
    if (keepOriginal) runAll(whole, [original]);
    if (collector.action === 'deny') {
      stopped = true;
      return STOP;
    }
    deferred = asyncHooks.map((e) => defer(e, 'output', [released + buf], fullCtx));
    if (hooks.length === 0) return release(true);
    const hookInput = { stage: 'output' as const, texts: [released + buf] };
    return Promise.all(hooks.map((e) => settle(e.check.evaluate(hookInput, checkCtx)))).then((outcomes) => {
      outcomes.forEach((o, i) => collector.add(hooks[i].policy, hooks[i].index, 'webhook', hooks[i].config.action, o));
      if (collector.action === 'deny') {
        stopped = true;
        return STOP;
      }
      return release(true);
    });
  }

  return {
    push(delta) {
      if (stopped) return STOP;
      if (keepOriginal) original += delta;
      if (windowed.length === 0) {
        released += delta;
        return { emit: delta, stop: false };
      }
      buf += delta;
      if (buf.length <= window) return { emit: '', stop: false };
      return release(false);
    },
    end() {
      if (stopped) return STOP;
      if (windowed.length > 0 && buf.length > 0) {
        const held = buf;
        collector.redactSpans.length = 0;
        runAll(windowed, [held]);
        if (collector.action === 'deny') {
          stopped = true;
          return STOP;
        }
      }
      return finishWhole();
    },
    result() {
      return {
        action: collector.action,
        texts: [released],
        changed,
        verdicts: collector.verdicts,
        deferred,
        summary: collector.summary(),
        denied: collector.denied,
        placeholders,
        secrets: collector.secrets,
      };
    },
  };
}

import { setTimeout as sleep } from 'node:timers/promises';
import type { ModelConfig, Target } from '@gatehouse/config';
import { GatewayError } from '@gatehouse/contracts';
import type { HttpProvider, LocalProvider, UpstreamRequest } from '@gatehouse/providers';
import { Admission, type CircuitBreaker, orderTargets, targetKey, type TargetBoard } from '@gatehouse/routing';
import type { AbortFlag } from '../pipeline/abort-flag';
import type { RequestContext } from '../pipeline/request-context';
import type { UpstreamClient, UpstreamResponse } from '../upstream/upstream-client';
import { allTargetsFailed, parseRetryAfter, retryDelay, upstreamClientError, type AttemptFailure } from './attempt-outcome';
import { readBounded } from './error-body';
import type { ProviderEntry, RouteTable } from './route-table';
import { UpstreamAttempt } from './upstream-attempt';

/** What every endpoint's request carries into the engine. */
export interface EngineJob {
  ctx: RequestContext;
  model: ModelConfig;
  /** The routing table the request started with (a reload does not change it mid-request). */
  routes: RouteTable;
  /** Fires when the client went away; null when the endpoint does not watch for it. */
  clientGone: AbortFlag | null;
}

/**
 * The endpoint-specific steps (chat, messages, embeddings, responses, count_tokens, ...). The engine
 * owns target order, breakers, retries, timeouts and error mapping; the steps own the payload.
 */
export interface EndpointSteps<J extends EngineJob> {
  /** An in-process provider (type mock) answers without network or failover. */
  local(job: J, provider: LocalProvider, target: Target): Promise<void>;
  /** Optional: true when this target cannot serve the endpoint at all; it is passed over without an attempt. */
  skip?(job: J, provider: HttpProvider, target: Target): boolean;
  /** The upstream request for this target; throw a GatewayError when the provider cannot serve the endpoint. */
  request(job: J, provider: HttpProvider, target: Target): UpstreamRequest | Promise<UpstreamRequest>;
  /**
   * A 2xx response. Call `attempt.succeed(status)` once the answer is usable and set
   * `attempt.committed` before the first byte goes to the client. Return null when the client has its
   * answer (or an error event ended its stream), or `attempt.fail(...)` while nothing was sent, to fail over.
   */
  accept(job: J, up: UpstreamResponse, attempt: UpstreamAttempt): Promise<AttemptFailure | null>;
}

/**
 * Tries a model's targets in strategy order (nested groups flattened), skipping targets whose
 * breaker is open (when every one is open, the one that opened first is tried), retrying the
 * configured statuses and connection errors with backoff, within the model's timeouts.
 * Throws a GatewayError in the caller's terms when no target answered.
 */
export class FailoverEngine {
  constructor(
    private readonly upstream: UpstreamClient,
    private readonly board: TargetBoard,
    private readonly random: () => number = Math.random,
  ) {}

  async run<J extends EngineJob>(job: J, steps: EndpointSteps<J>): Promise<void> {
    const { model, routes } = job;
    const failures: AttemptFailure[] = [];
    const deadline = job.ctx.t0 + model.timeout.total_ms;
    const targets = orderTargets(model, this.board.latency, this.random, routes.models);
    let skipped: { target: Target; entry: ProviderEntry; breaker: CircuitBreaker }[] | null = null;
    for (let t = 0; t < targets.length; t++) {
      const target = targets[t];
      const entry = routes.providers.get(target.provider);
      if (!entry) continue;
      if (entry.provider.kind === 'local') return this.runLocal(job, steps, entry, entry.provider, target);
      if (steps.skip?.(job, entry.provider, target)) continue;
      const breaker = this.board.breaker(targetKey(entry.name, target.model), model.breaker);
      const admission = breaker.admit();
      if (admission === Admission.Rejected) {
        (skipped ??= []).push({ target, entry, breaker });
        continue;
      }
      if (await this.tryTarget(job, steps, target, entry, breaker, admission, failures, deadline, targets, t)) return;
      if (performance.now() >= deadline) break;
    }
    if (skipped && job.ctx.attempts.length === 0) {
      let first = skipped[0];
      for (const s of skipped) if (s.breaker.openedAt < first.breaker.openedAt) first = s;
      const admission = first.breaker.force();
      if (await this.tryTarget(job, steps, first.target, first.entry, first.breaker, admission, failures, deadline, targets, targets.length)) return;
    }
    if (failures.length === 0 && job.ctx.attempts.length === 0) {
      throw new GatewayError(503, 'overloaded_error', `model "${job.ctx.modelRequested}" has no target this gateway can reach`, { code: 'upstream_failed' });
    }
    throw allTargetsFailed(job.ctx.attempts, failures);
  }

  /**
   * One target (targets[index]; index past the end for a forced one) with its retries; true when the
   * request is finished (answered, or the client left).
   */
  private async tryTarget<J extends EngineJob>(
    job: J, steps: EndpointSteps<J>, target: Target, entry: ProviderEntry, breaker: CircuitBreaker,
    admission: Admission, failures: AttemptFailure[], deadline: number, targets: Target[], index: number,
  ): Promise<boolean> {
    const retry = job.model.retry;
    for (let i = 0; ; i++) {
      const failure = await this.attempt(job, steps, target, entry, breaker, admission, deadline);
      if (failure === null || job.clientGone?.aborted) return true;
      failures.push(failure);
      if (failure.next === 'final') throw upstreamClientError(failure);
      // A hung target is left for the next one; the last one that can be tried retries while time remains.
      if (failure.next !== 'retry' || i >= retry.attempts || (failure.errorType === 'timeout' && this.laterTargetAdmissible(job, targets, index))) return false;
      const wait = retryDelay(failure, i, retry, this.random);
      if (wait === null || performance.now() + wait >= deadline) return false;
      await sleep(wait);
      admission = breaker.admit();
      if (admission === Admission.Rejected) return false;
    }
  }

  /** Whether a target after targets[index] could still be tried (it exists here and its breaker would admit it). */
  private laterTargetAdmissible(job: EngineJob, targets: Target[], index: number): boolean {
    for (let i = index + 1; i < targets.length; i++) {
      const entry = job.routes.providers.get(targets[i].provider);
      if (!entry) continue;
      if (entry.provider.kind === 'local' || this.board.breaker(targetKey(entry.name, targets[i].model), job.model.breaker).wouldAdmit()) return true;
    }
    return false;
  }

  private async attempt<J extends EngineJob>(
    job: J, steps: EndpointSteps<J>, target: Target, entry: ProviderEntry, breaker: CircuitBreaker,
    admission: Admission, deadline: number,
  ): Promise<AttemptFailure | null> {
    const { ctx, model } = job;
    const provider = entry.provider as HttpProvider;
    ctx.provider = entry.name;
    ctx.providerType = provider.type;
    ctx.modelUpstream = target.model;
    const attempt = new UpstreamAttempt(ctx, entry, provider, target, breaker.target, breaker, admission, this.board, model.retry.on);
    const onGone = () => attempt.abort.abort();
    const remaining = Math.max(1, deadline - performance.now());
    attempt.startTimers(remaining, model.timeout.first_byte_ms);
    job.clientGone?.once('abort', onGone);
    try {
      const upReq = await steps.request(job, provider, target);
      const agent = this.upstream.agentFor(entry, entry.maxConnections, model.timeout.connect_ms);
      const up = await this.upstream.send(agent, upReq, {
        signal: attempt.abort,
        // undici's own timers tick once a second: backstops only (the attempt's timers are exact)
        headersTimeoutMs: Math.min(model.timeout.first_byte_ms, remaining) + 1000,
        bodyTimeoutMs: Math.min(model.timeout.stream_idle_ms, remaining) + 1000,
      });
      attempt.gotHeaders();
      if (up.status >= 400) {
        const info = provider.parseError(up.status, await readBounded(up.body));
        return attempt.fail(up.status, info.type, `${entry.name} returned ${up.status}: ${info.message}`, parseRetryAfterHeader(up));
      }
      return await steps.accept(job, up, attempt);
    } catch (e) {
      if (attempt.committed || e instanceof GatewayError) throw e;
      const kind = attempt.timedOut !== null || isTimeout(e) ? 'timeout' : job.clientGone?.aborted ? 'client_closed' : 'connection_error';
      if (kind === 'client_closed') return null;
      return attempt.fail(0, kind, `${entry.name}: ${describeNetworkError(e, kind)}`);
    } finally {
      attempt.stopTimers();
      job.clientGone?.off('abort', onGone);
      attempt.release();
    }
  }

  private async runLocal<J extends EngineJob>(job: J, steps: EndpointSteps<J>, entry: ProviderEntry, provider: LocalProvider, target: Target): Promise<void> {
    const { ctx } = job;
    ctx.provider = entry.name;
    ctx.providerType = provider.type;
    ctx.modelUpstream = target.model;
    const t = performance.now();
    const record = { provider: entry.name, model: target.model, status: 200, error_type: null, latency_ms: 0 };
    ctx.attempts.push(record);
    await steps.local(job, provider, target);
    record.latency_ms = Math.round((performance.now() - t) * 1000) / 1000;
  }
}

const parseRetryAfterHeader = (up: UpstreamResponse): number | null => parseRetryAfter(up.headers['retry-after']);

export function isTimeout(e: unknown): boolean {
  const code = (e as { code?: string })?.code ?? '';
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
}

function describeNetworkError(e: unknown, kind: string): string {
  if (kind === 'timeout') return 'no answer within the configured timeout';
  const err = e as { code?: string; message?: string; cause?: { code?: string } };
  return `connection failed (${err.code ?? err.cause?.code ?? err.message ?? 'unknown error'})`;
}

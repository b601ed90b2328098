import type { ModelConfig } from '@gatehouse/config';
import type { CanonicalEmbeddingsRequest, CanonicalEmbeddingsResponse } from '@gatehouse/formats';
import { GatewayError, unsupportedField } from '@gatehouse/contracts';
import { type LatencyStats, orderTargets } from '@gatehouse/routing';
import type { UpstreamClient } from '../upstream/upstream-client';
import { allTargetsFailed, classifyUpstreamStatus, parseRetryAfter, type AttemptFailure } from './attempt-outcome';
import type { ProviderEntry } from './chat-executor';
import type { RequestContext } from './request-context';

/** Embeddings: the same target order and failover as chat, without streaming. */
export class EmbeddingsExecutor {
  constructor(
    private readonly providers: ReadonlyMap<string, ProviderEntry>,
    private readonly upstream: UpstreamClient,
    private readonly stats: LatencyStats,
  ) {}

  async run(ctx: RequestContext, req: CanonicalEmbeddingsRequest, model: ModelConfig): Promise<CanonicalEmbeddingsResponse> {
    const failures: AttemptFailure[] = [];
    for (const target of orderTargets(model, this.stats)) {
      const entry = this.providers.get(target.provider);
      if (!entry) continue;
      ctx.provider = entry.name;
      ctx.providerType = entry.provider.type;
      ctx.modelUpstream = target.model;
      const p = entry.provider;
      const started = performance.now();
      if (p.kind === 'local') {
        if (!p.embed) throw unsupportedField('input', p.type, 'this provider has no embeddings');
        ctx.attempts.push({ provider: entry.name, model: target.model, status: 200, error_type: null, latency_ms: 0 });
        return p.embed(req, target.model);
      }
      if (!p.embeddingsRequest || !p.parseEmbeddingsResponse) {
        throw unsupportedField('model', p.type, 'this provider has no embeddings endpoint');
      }
      const upReq = await p.embeddingsRequest(req, target.model);
      const signal = AbortSignal.timeout(model.timeout.total_ms);
      try {
        const up = await this.upstream.send(this.upstream.agentFor(entry.name, entry.maxConnections), upReq, {
          signal,
          headersTimeoutMs: model.timeout.first_byte_ms,
          bodyTimeoutMs: model.timeout.total_ms,
        });
        const text = await up.body.text();
        const latency = Math.round((performance.now() - started) * 1000) / 1000;
        if (up.status >= 400) {
          const info = p.parseError(up.status, text);
          ctx.attempts.push({ provider: entry.name, model: target.model, status: up.status, error_type: info.type, latency_ms: latency });
          const f: AttemptFailure = {
            status: up.status, errorType: info.type, message: `${entry.name} returned ${up.status}: ${info.message}`,
            next: classifyUpstreamStatus(up.status, model.retry.on), retryAfterMs: parseRetryAfter(up.headers['retry-after']),
          };
          if (f.next === 'final') throw new GatewayError(up.status, 'invalid_request_error', f.message, { code: 'upstream_rejected' });
          failures.push(f);
          continue;
        }
        ctx.attempts.push({ provider: entry.name, model: target.model, status: up.status, error_type: null, latency_ms: latency });
        return p.parseEmbeddingsResponse(text, target.model);
      } catch (e) {
        if (e instanceof GatewayError) throw e;
        const kind = signal.aborted ? 'timeout' : 'connection_error';
        ctx.attempts.push({ provider: entry.name, model: target.model, status: 0, error_type: kind, latency_ms: Math.round(performance.now() - started) });
        failures.push({ status: 0, errorType: kind, message: `${entry.name}: ${kind}`, next: 'next', retryAfterMs: null });
      }
    }
    throw allTargetsFailed(ctx.attempts, failures);
  }
}

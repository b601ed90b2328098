import type { Target } from '@gatehouse/config';
import { GatewayError } from '@gatehouse/contracts';
import type { CanonicalRequest } from '@gatehouse/formats';
import type { HttpProvider, UpstreamRequest } from '@gatehouse/providers';
import type { AttemptFailure } from '../routing/attempt-outcome';
import type { EndpointSteps, EngineJob, FailoverEngine } from '../routing/failover-engine';
import type { UpstreamAttempt } from '../routing/upstream-attempt';
import type { UpstreamResponse } from '../upstream/upstream-client';

const MAX_COUNT_BODY = 64 * 1024;

export interface CountTokensJob extends EngineJob {
  /** The client's Anthropic count_tokens body, and its canonical form. */
  body: Record<string, unknown>;
  request: CanonicalRequest;
  /** Set by the target that counted; null: no target counts exactly (the caller estimates). */
  count: number | null;
}

/**
 * count_tokens: the failover engine's steps. Targets whose provider counts tokens (Anthropic,
 * Gemini, Vertex) are tried in the model's order with its retries, timeouts and breakers; the
 * others are passed over. null when none counted (none can, or all that can failed): the caller
 * answers the local estimate. A count request the upstream rejects (4xx) goes back to the client.
 */
export class CountTokensExecutor implements EndpointSteps<CountTokensJob> {
  constructor(private readonly engine: FailoverEngine) {}

  async run(job: CountTokensJob): Promise<number | null> {
    try {
      await this.engine.run(job, this);
    } catch (e) {
      if (e instanceof GatewayError && e.code === 'upstream_failed') return null;
      throw e;
    }
    return job.count;
  }

  /** The built-in mock has no tokenizer of its own: the estimate is its count. */
  async local(): Promise<void> {}

  skip(_job: CountTokensJob, provider: HttpProvider): boolean {
    return !provider.countTokensRequest || !provider.parseTokenCount;
  }

  request(job: CountTokensJob, provider: HttpProvider, target: Target): UpstreamRequest | Promise<UpstreamRequest> {
    return provider.countTokensRequest!({ body: job.body, request: job.request }, target.model);
  }

  async accept(job: CountTokensJob, up: UpstreamResponse, attempt: UpstreamAttempt): Promise<AttemptFailure | null> {
    const text = (await up.body.text()).slice(0, MAX_COUNT_BODY);
    let count: number;
    try {
      count = attempt.provider.parseTokenCount!(text, attempt.target.model);
    } catch (e) {
      return { ...attempt.fail(502, 'upstream_error', `${attempt.entry.name}: ${(e as Error).message}`), next: 'next' };
    }
    attempt.succeed(up.status);
    job.count = count;
    return null;
  }
}

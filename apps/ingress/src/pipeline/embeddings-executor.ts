import type { Target } from '@gatehouse/config';
import type { CanonicalEmbeddingsRequest, CanonicalEmbeddingsResponse } from '@gatehouse/formats';
import { unsupportedField } from '@gatehouse/contracts';
import type { HttpProvider, LocalProvider, UpstreamRequest } from '@gatehouse/providers';
import type { AttemptFailure } from '../routing/attempt-outcome';
import type { EndpointSteps, EngineJob, FailoverEngine } from '../routing/failover-engine';
import type { UpstreamAttempt } from '../routing/upstream-attempt';
import type { UpstreamResponse } from '../upstream/upstream-client';

export interface EmbeddingsJob extends EngineJob {
  request: CanonicalEmbeddingsRequest;
  /** Set by the attempt that answered. */
  result: CanonicalEmbeddingsResponse | null;
}

/** Embeddings: the failover engine's steps for a JSON answer (same order, retries, timeouts and breakers as chat). */
export class EmbeddingsExecutor implements EndpointSteps<EmbeddingsJob> {
  constructor(private readonly engine: FailoverEngine) {}

  async run(job: EmbeddingsJob): Promise<CanonicalEmbeddingsResponse | null> {
    await this.engine.run(job, this);
    return job.result;
  }

  async local(job: EmbeddingsJob, provider: LocalProvider, target: Target): Promise<void> {
    if (!provider.embed) throw unsupportedField('input', provider.type, 'this provider has no embeddings');
    job.result = provider.embed(job.request, target.model);
  }

  request(job: EmbeddingsJob, provider: HttpProvider, target: Target): UpstreamRequest | Promise<UpstreamRequest> {
    if (!provider.embeddingsRequest || !provider.parseEmbeddingsResponse) {
      throw unsupportedField('model', provider.type, 'this provider has no embeddings endpoint');
    }
    return provider.embeddingsRequest(job.request, target.model);
  }

  async accept(job: EmbeddingsJob, up: UpstreamResponse, attempt: UpstreamAttempt): Promise<AttemptFailure | null> {
    const text = await up.body.text();
    job.result = attempt.provider.parseEmbeddingsResponse!(text, attempt.target.model);
    attempt.succeed(up.status);
    return null;
  }
}

import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ModelConfig, Target } from '@gatehouse/config';
import type { CanonicalRequest, CanonicalResponse, StreamEvent } from '@gatehouse/formats';
import { GatewayError } from '@gatehouse/contracts';
import type { HttpProvider, LocalProvider, Provider, UpstreamRequest } from '@gatehouse/providers';
import { LatencyStats, targetKey, orderTargets } from '@gatehouse/routing';
import type { UpstreamClient } from '../upstream/upstream-client';
import type { ResponseCapture } from '@gatehouse/cache';
import { AbortFlag } from './abort-flag';
import { allTargetsFailed, classifyUpstreamStatus, parseRetryAfter, type AttemptFailure } from './attempt-outcome';
import type { ClientCodec, StreamEncoder } from './client-codec';
import type { OutputGuardSession, StreamFilter } from './output-guard';
import type { RequestContext } from './request-context';
import { gatewayHeaders, SSE_HEADERS } from './response-headers';
import { StreamTracker } from './stream-tracker';

export interface ChatJob {
  ctx: RequestContext;
  codec: ClientCodec;
  request: CanonicalRequest;
  /** The client's JSON body when it may be passed through unchanged (same dialect, nothing redacted); else null. */
  passthroughBody: Record<string, unknown> | null;
  /** Client headers a pass-through request carries (anthropic-beta, ...); null when none. */
  passthroughHeaders: Record<string, string> | null;
  includeUsage: boolean;
  model: ModelConfig;
  res: ServerResponse;
  clientGone: AbortFlag;
  keepText: boolean;
  /** Output guardrails of this request; null when no output check is in scope. */
  output: OutputGuardSession | null;
  /** Collects what is sent when the response cache may store this answer; null otherwise. */
  capture: ResponseCapture | null;
}

export interface ProviderEntry {
  name: string;
  provider: Provider;
  maxConnections: number;
}

const MAX_ERROR_BODY = 64 * 1024;

/** Tries the model's targets in strategy order with retries, and answers the client from the first that works. */
export class ChatExecutor {
  constructor(
    private readonly providers: ReadonlyMap<string, ProviderEntry>,
    private readonly upstream: UpstreamClient,
    private readonly stats: LatencyStats,
  ) {}

  async run(job: ChatJob): Promise<void> {
    const failures: AttemptFailure[] = [];
    const deadline = job.ctx.t0 + job.model.timeout.total_ms;
    for (const target of orderTargets(job.model, this.stats)) {
      const entry = this.providers.get(target.provider);
      if (!entry) continue;
      for (let i = 0; i <= job.model.retry.attempts; i++) {
        const failure = await this.attempt(job, target, entry);
        if (failure === null || job.clientGone.aborted) return;
        failures.push(failure);
        if (failure.next === 'final') throw upstreamClientError(failure);
        if (failure.next !== 'retry' || i === job.model.retry.attempts) break;
        const wait = Math.min(failure.retryAfterMs ?? 100 * 2 ** i, 5_000);
        if (performance.now() + wait >= deadline) break;
        await sleep(wait);
      }
    }
    throw allTargetsFailed(job.ctx.attempts, failures);
  }

  private attempt(job: ChatJob, target: Target, entry: ProviderEntry): Promise<AttemptFailure | null> {
    const { ctx } = job;
    ctx.provider = entry.name;
    ctx.providerType = entry.provider.type;
    ctx.modelUpstream = target.model;
    if (entry.provider.kind === 'local') return this.answerLocally(job, entry.provider, target);
    return this.attemptHttp(job, target, entry, entry.provider);
  }

  private async answerLocally(job: ChatJob, provider: LocalProvider, target: Target): Promise<null> {
    const { ctx } = job;
    const t = performance.now();
    ctx.attempts.push({ provider: ctx.provider!, model: target.model, status: 200, error_type: null, latency_ms: 0 });
    if (!job.request.stream) {
      const parsed = provider.complete(job.request, target.model);
      if (job.output) await job.output.checkResponse(parsed);
      this.writeResponse(job, parsed);
    } else {
      const tracker = new StreamTracker(ctx, job.keepText);
      const encoder = job.codec.streamEncoder(clientId(job), ctx.modelRequested, job.includeUsage);
      const filter = job.output?.streamFilter() ?? null;
      job.res.writeHead(200, { ...gatewayHeaders(ctx, 'text/event-stream; charset=utf-8'), ...SSE_HEADERS });
      if (await this.emit(job, tracker, encoder, provider.stream(job.request, target.model), null, filter)) {
        if (await this.flushFilter(job, tracker, encoder, filter)) this.endStream(job, encoder);
      }
      this.finishStream(ctx, tracker);
    }
    ctx.attempts[ctx.attempts.length - 1].latency_ms = round(performance.now() - t);
    return null;
  }

  private async attemptHttp(job: ChatJob, target: Target, entry: ProviderEntry, provider: HttpProvider): Promise<AttemptFailure | null> {
    const { ctx } = job;
    const started = performance.now();
    const passthrough = job.passthroughBody !== null && provider.nativeFormat === job.codec.format && !!provider.passthroughRequest
      && (!job.request.stream || job.codec.format === 'anthropic' || job.includeUsage);
    const upReq: UpstreamRequest = passthrough
      ? await provider.passthroughRequest!(job.passthroughBody!, target.model, job.passthroughHeaders)
      : await provider.chatRequest(job.request, target.model);

    const abort = new AbortFlag();
    const onGone = () => abort.abort();
    job.clientGone.once('abort', onGone);
    const remaining = Math.max(1, job.model.timeout.total_ms - ctx.elapsedMs());
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, remaining);
    const record = (status: number, errorType: string | null) => {
      const latency = round(performance.now() - started);
      ctx.attempts.push({ provider: entry.name, model: target.model, status, error_type: errorType, latency_ms: latency });
      if (status > 0 && status < 500) this.stats.record(targetKey(entry.name, target.model), latency);
    };
    let committed = false;
    try {
      const agent = this.upstream.agentFor(entry.name, entry.maxConnections);
      const up = await this.upstream.send(agent, upReq, {
        signal: abort,
        headersTimeoutMs: Math.min(job.model.timeout.first_byte_ms, remaining),
        bodyTimeoutMs: remaining,
      });
      if (up.status >= 400) {
        const text = await readBounded(up.body, MAX_ERROR_BODY);
        const info = provider.parseError(up.status, text);
        record(up.status, info.type);
        return {
          status: up.status,
          errorType: info.type,
          message: `${entry.name} returned ${up.status}: ${info.message}`,
          next: classifyUpstreamStatus(up.status, job.model.retry.on),
          retryAfterMs: parseRetryAfter(up.headers['retry-after']),
        };
      }
      if (!job.request.stream) {
        const text = await up.body.text();
        const parsed = provider.parseChatResponse(text, target.model);
        record(up.status, null);
        const changed = job.output ? await job.output.checkResponse(parsed) : false;
        committed = true;
        this.writeResponse(job, parsed, passthrough && !changed ? text : null);
        return null;
      }
      const tracker = new StreamTracker(ctx, job.keepText);
      const parser = provider.createStreamParser(target.model);
      const encoder = passthrough ? null : job.codec.streamEncoder(clientId(job), ctx.modelRequested, job.includeUsage);
      const filter = job.output?.streamFilter() ?? null;
      const pending: Uint8Array[] = [];
      let pendingEvents: StreamEvent[] = [];
      try {
        for await (const chunk of up.body as AsyncIterable<Uint8Array>) {
          const events = parser.push(chunk);
          if (!committed) {
            pending.push(chunk);
            pendingEvents = pendingEvents.length ? pendingEvents.concat(events) : events;
            const hasContent = pendingEvents.some((e) => e.type !== 'start' && e.type !== 'usage');
            if (!hasContent) continue;
            const early = pendingEvents.find((e) => e.type === 'error');
            if (early && early.type === 'error' && !pendingEvents.some(isContent)) {
              up.body.destroy();
              record(502, early.error.type);
              return { status: 502, errorType: early.error.type, message: `${entry.name} stream error: ${early.error.message}`, next: 'next', retryAfterMs: null };
            }
            record(up.status, null);
            committed = true;
            job.res.writeHead(200, { ...gatewayHeaders(ctx, 'text/event-stream; charset=utf-8'), ...SSE_HEADERS });
            if (!(await this.emit(job, tracker, encoder, pendingEvents, passthrough ? pending : null, filter))) return this.stopped(ctx, tracker);
            continue;
          }
          if (!(await this.emit(job, tracker, encoder, events, passthrough ? [chunk] : null, filter))) return this.stopped(ctx, tracker);
        }
      } catch (e) {
        if (!committed) throw e;
        const gone = job.clientGone.aborted;
        if (!gone) {
          const err = { type: timedOut ? 'timeout_error' : 'api_error', message: timedOut ? 'upstream stream exceeded the total timeout' : 'upstream connection lost mid-stream' };
          job.res.end((encoder ?? job.codec.streamEncoder(clientId(job), ctx.modelRequested, job.includeUsage)).error(err));
          ctx.errorType = err.type === 'timeout_error' ? 'timeout' : 'upstream_stream_error';
        } else {
          ctx.errorType = 'client_closed';
        }
        this.finishStream(ctx, tracker);
        return null;
      }
      const tail = parser.end();
      if (!committed) {
        pendingEvents = pendingEvents.concat(tail);
        if (!pendingEvents.some(isContent) && !pendingEvents.some((e) => e.type === 'stop')) {
          record(502, 'empty_stream');
          return { status: 502, errorType: 'empty_stream', message: `${entry.name} ended the stream without content`, next: 'next', retryAfterMs: null };
        }
        record(up.status, null);
        committed = true;
        job.res.writeHead(200, { ...gatewayHeaders(ctx, 'text/event-stream; charset=utf-8'), ...SSE_HEADERS });
        if (!(await this.emit(job, tracker, encoder, pendingEvents, passthrough ? pending : null, filter))) return this.stopped(ctx, tracker);
      } else if (!(await this.emit(job, tracker, encoder, tail, null, filter))) {
        return this.stopped(ctx, tracker);
      }
      if (await this.flushFilter(job, tracker, encoder, filter)) this.endStream(job, encoder);
      this.finishStream(ctx, tracker);
      return null;
    } catch (e) {
      if (committed || e instanceof GatewayError) throw e;
      const kind = timedOut || isTimeout(e) ? 'timeout' : job.clientGone.aborted ? 'client_closed' : 'connection_error';
      record(0, kind);
      return { status: 0, errorType: kind, message: `${entry.name}: ${describeNetworkError(e, kind)}`, next: 'retry', retryAfterMs: null };
    } finally {
      clearTimeout(timer);
      job.clientGone.off('abort', onGone);
    }
  }

  /** Writes events (translated) or raw chunks (pass-through); false when the client went away. */
  private async emit(
    job: ChatJob,
    tracker: StreamTracker,
    encoder: StreamEncoder | null,
    events: StreamEvent[],
    raw: Uint8Array[] | null,
    filter: StreamFilter | null,
  ): Promise<boolean> {
    if (filter) {
      const filtered: StreamEvent[] = [];
      for (const ev of events) {
        let r = filter.push(ev);
        if (r instanceof Promise) r = await r;
        if (r === null) return this.deny(job, encoder!, filter);
        for (const e of r) filtered.push(e);
      }
      events = filtered;
    }
    let out = '';
    for (const ev of events) {
      tracker.track(ev);
      if (encoder) out += encoder.push(ev);
    }
    if (job.clientGone.aborted) return false;
    let ok = true;
    if (raw) for (const c of raw) ok = job.res.write(c) && ok;
    else if (out) ok = job.res.write(out);
    if (job.capture) {
      if (raw) for (const c of raw) job.capture.push(c);
      else if (out) job.capture.push(out);
    }
    if (!ok) await new Promise<void>((resolve) => {
      const done = () => {
        job.res.off('drain', done);
        job.res.off('close', done);
        resolve();
      };
      job.res.on('drain', done);
      job.res.on('close', done);
    });
    return !job.clientGone.aborted;
  }

  /** Releases what the output guard still holds; false when it denied (the stream was ended with the error). */
  private async flushFilter(job: ChatJob, tracker: StreamTracker, encoder: StreamEncoder | null, filter: StreamFilter | null): Promise<boolean> {
    if (!filter) return true;
    let r = filter.end();
    if (r instanceof Promise) r = await r;
    if (r === null) return this.deny(job, encoder!, filter);
    return this.emit(job, tracker, encoder, r, null, null);
  }

  private deny(job: ChatJob, encoder: StreamEncoder, filter: StreamFilter): false {
    if (!job.res.writableEnded) job.res.end(encoder.error(filter.denial()));
    return false;
  }

  /** A stream that ran to its end: the last bytes, and the captured answer is complete. */
  private endStream(job: ChatJob, encoder: StreamEncoder | null): void {
    const last = encoder ? encoder.finish() : undefined;
    job.res.end(last);
    job.capture?.complete(last);
  }

  private stopped(ctx: RequestContext, tracker: StreamTracker): null {
    this.finishStream(ctx, tracker);
    return null;
  }

  private writeResponse(job: ChatJob, parsed: CanonicalResponse, rawBody: string | null = null): void {
    const { ctx } = job;
    ctx.usage = parsed.usage;
    ctx.markFirstToken();
    const body = rawBody ?? job.codec.encodeResponse(parsed, clientId(job), ctx.modelRequested);
    if (job.keepText) ctx.responseText = body;
    const headers = gatewayHeaders(ctx, 'application/json');
    headers['content-length'] = String(Buffer.byteLength(body));
    job.res.writeHead(200, headers);
    job.res.end(body);
    job.capture?.complete(body);
  }

  private finishStream(ctx: RequestContext, tracker: StreamTracker): void {
    ctx.usage = tracker.sawUsage ? tracker.usage : null;
    ctx.responseText = tracker.collectedText();
    if (tracker.error && !ctx.errorType) ctx.errorType = tracker.error.type;
  }
}

const isContent = (e: StreamEvent) =>
  e.type === 'text_delta' || e.type === 'tool_call_start' || e.type === 'tool_call_delta' || e.type === 'thinking_delta';

const round = (ms: number) => Math.round(ms * 1000) / 1000;

const clientId = (job: ChatJob) =>
  (job.codec.format === 'openai' ? 'chatcmpl-' : 'msg_') + job.ctx.requestId.replace(/-/g, '');

function isTimeout(e: unknown): boolean {
  const code = (e as { code?: string })?.code ?? '';
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
}

function describeNetworkError(e: unknown, kind: string): string {
  if (kind === 'timeout') return 'no answer within the configured timeout';
  if (kind === 'client_closed') return 'client closed the connection';
  const err = e as { code?: string; message?: string; cause?: { code?: string } };
  return `connection failed (${err.code ?? err.cause?.code ?? err.message ?? 'unknown error'})`;
}

async function readBounded(body: AsyncIterable<Uint8Array> & { destroy(): void }, max: number): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const c of body) {
    size += c.length;
    parts.push(Buffer.from(c));
    if (size >= max) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(parts).toString('utf8').slice(0, max);
}

/** An upstream 4xx caused by the request itself goes back to the client with the provider's message. */
function upstreamClientError(f: AttemptFailure): GatewayError {
  const type = f.status === 413 ? 'request_too_large' : 'invalid_request_error';
  return new GatewayError(f.status, type, f.message, { code: 'upstream_rejected' });
}

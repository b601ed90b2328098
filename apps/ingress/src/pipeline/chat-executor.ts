import type { ServerResponse } from 'node:http';
import type { Target } from '@gatehouse/config';
import type { CanonicalRequest, CanonicalResponse, StreamEvent } from '@gatehouse/formats';
import { nativeFormatOf, type HttpProvider, type LocalProvider, type StreamParser, type UpstreamRequest } from '@gatehouse/providers';
import type { ResponseCapture } from '@gatehouse/cache';
import type { AttemptFailure } from '../routing/attempt-outcome';
import type { EndpointSteps, EngineJob, FailoverEngine } from '../routing/failover-engine';
import type { UpstreamAttempt } from '../routing/upstream-attempt';
import type { UpstreamResponse } from '../upstream/upstream-client';
import type { AbortFlag } from './abort-flag';
import type { ClientCodec, StreamEncoder } from './client-codec';
import type { RequestContext } from './request-context';
import type { OutputGuardSession, StreamFilter } from './output-guard';
import { gatewayHeaders, SSE_HEADERS } from './response-headers';
import { StreamTracker } from './stream-tracker';
import { midStreamError } from './mid-stream-error';

export interface ChatJob extends EngineJob {
  codec: ClientCodec;
  request: CanonicalRequest;
  /** The client's JSON body when it may be passed through unchanged (same dialect, nothing redacted); else null. */
  passthroughBody: Record<string, unknown> | null;
  /** Client headers a pass-through request carries (anthropic-beta, ...); null when none. */
  passthroughHeaders: Record<string, string> | null;
  includeUsage: boolean;
  res: ServerResponse;
  clientGone: AbortFlag;
  keepText: boolean;
  /** Output guardrails of this request; null when no output check is in scope. */
  output: OutputGuardSession | null;
  /** Collects what is sent when the response cache may store this answer; null otherwise. */
  capture: ResponseCapture | null;
  /** Set per attempt: this attempt forwards the client's bytes (request and stream) unchanged. */
  passthrough?: boolean;
}

/** What a stream held back until its first content: the parsed events and (pass-through) the raw chunks. */
interface StreamStart {
  events: StreamEvent[];
  raw: Uint8Array[];
  /** The upstream body ended before any content arrived. */
  ended: boolean;
  /** The body's iterator, shared by both steps (a `for await` that returns early would destroy the body). */
  body: AsyncIterator<Uint8Array>;
}

/** Chat completions and messages: the failover engine's steps for a chat answer, JSON or streamed. */
export class ChatExecutor implements EndpointSteps<ChatJob> {
  constructor(private readonly engine: FailoverEngine) {}

  run(job: ChatJob): Promise<void> {
    return this.engine.run(job, this);
  }

  async local(job: ChatJob, provider: LocalProvider, target: Target): Promise<void> {
    const { ctx } = job;
    if (!job.request.stream) {
      const parsed = provider.complete(job.request, target.model);
      if (job.output) await job.output.checkResponse(parsed);
      this.writeResponse(job, parsed);
      return;
    }
    // Before the headers: a request the provider refuses is still a plain error response.
    const events = provider.stream(job.request, target.model);
    const tracker = new StreamTracker(ctx, job.keepText);
    const encoder = job.codec.streamEncoder(clientId(job), ctx.modelRequested, job.includeUsage);
    const filter = job.output?.streamFilter() ?? null;
    job.res.writeHead(200, { ...gatewayHeaders(ctx, 'text/event-stream; charset=utf-8'), ...SSE_HEADERS });
    if (await this.emit(job, tracker, encoder, events, null, filter)) {
      if (await this.flushFilter(job, tracker, encoder, filter)) this.endStream(job, encoder);
    }
    this.finishStream(ctx, tracker);
  }

  request(job: ChatJob, provider: HttpProvider, target: Target): UpstreamRequest | Promise<UpstreamRequest> {
    if (job.codec.format === 'openai-responses') {
      // A target serving /responses itself (responses: native) gets the client's body; others a translation.
      job.passthrough = job.passthroughBody !== null && provider.responses !== undefined;
      return job.passthrough ? provider.responses!.request(job.passthroughBody!, target.model) : provider.chatRequest(job.request, target.model);
    }
    job.passthrough = job.passthroughBody !== null && nativeFormatOf(provider, target.model) === job.codec.format && !!provider.passthroughRequest
      && (!job.request.stream || job.codec.format === 'anthropic' || job.includeUsage);
    return job.passthrough ? provider.passthroughRequest!(job.passthroughBody!, target.model, job.passthroughHeaders) : provider.chatRequest(job.request, target.model);
  }

  async accept(job: ChatJob, up: UpstreamResponse, attempt: UpstreamAttempt): Promise<AttemptFailure | null> {
    // A pass-through answer is read by the provider's own reader when it has one (Responses API, Bedrock InvokeModel).
    const native = !job.passthrough ? null : job.codec.format === 'openai-responses' ? attempt.provider.responses! : attempt.provider.passthroughResponse ?? null;
    if (!job.request.stream) {
      const text = await up.body.text();
      const parsed = native ? native.parse(text, attempt.target.model) : attempt.provider.parseChatResponse(text, attempt.target.model);
      attempt.succeed(up.status);
      const changed = job.output ? await job.output.checkResponse(parsed) : false;
      attempt.committed = true;
      this.writeResponse(job, parsed, job.passthrough && !changed ? text : null);
      return null;
    }
    const parser = native ? native.createStreamParser(attempt.target.model) : attempt.provider.createStreamParser(attempt.target.model);
    const start = await this.firstContent(up, parser, job.passthrough === true, attempt, job.model.timeout.stream_idle_ms);
    const failure = this.checkStart(start, up, attempt);
    if (failure) return failure;
    attempt.succeed(up.status);
    attempt.committed = true;
    return this.pump(job, up, parser, start, attempt);
  }

  /** Step 1 of a stream: read until the first content (or the end), holding everything back so a failed start can still fail over. */
  private async firstContent(up: UpstreamResponse, parser: StreamParser, keepRaw: boolean, attempt: UpstreamAttempt, idleMs: number): Promise<StreamStart> {
    const body = (up.body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    const start: StreamStart = { events: [], raw: [], ended: false, body };
    attempt.touch(idleMs);
    for (let r = await body.next(); !r.done; r = await body.next()) {
      const chunk = r.value;
      attempt.touch(idleMs);
      const events = parser.push(chunk);
      if (keepRaw) start.raw.push(relayed(parser, chunk));
      start.events = start.events.length ? start.events.concat(events) : events;
      if (start.events.some((e) => e.type !== 'start' && e.type !== 'usage')) return start;
    }
    start.events = start.events.concat(parser.end());
    if (keepRaw && parser.relay) start.raw.push(parser.relay());
    start.ended = true;
    return start;
  }

  /** An error event before any content, or a stream without content, fails the attempt (nothing was sent yet). */
  private checkStart(start: StreamStart, up: UpstreamResponse, attempt: UpstreamAttempt): AttemptFailure | null {
    const name = attempt.entry.name;
    if (start.events.some(isContent)) return null;
    const early = start.events.find((e) => e.type === 'error');
    if (early && early.type === 'error') {
      up.body.destroy();
      return { ...attempt.fail(502, early.error.type, `${name} stream error: ${early.error.message}`), next: 'next' };
    }
    if (start.ended && !start.events.some((e) => e.type === 'stop')) {
      return { ...attempt.fail(502, 'empty_stream', `${name} ended the stream without content`), next: 'next' };
    }
    return null;
  }

  /** Step 2: send the held-back start, then every further chunk as it comes; a broken upstream ends the stream with an error event. */
  private async pump(job: ChatJob, up: UpstreamResponse, parser: StreamParser, start: StreamStart, attempt: UpstreamAttempt): Promise<null> {
    const { ctx } = job;
    const raw = job.passthrough === true;
    const tracker = new StreamTracker(ctx, job.keepText);
    const encoder = raw ? null : job.codec.streamEncoder(clientId(job), ctx.modelRequested, job.includeUsage);
    const filter = job.output?.streamFilter() ?? null;
    job.res.writeHead(200, { ...gatewayHeaders(ctx, 'text/event-stream; charset=utf-8'), ...SSE_HEADERS });
    if (!(await this.emit(job, tracker, encoder, start.events, raw ? start.raw : null, filter))) return this.abandon(up, ctx, tracker);
    if (!start.ended) {
      const idleMs = job.model.timeout.stream_idle_ms;
      try {
        for (let r = await start.body.next(); !r.done; r = await start.body.next()) {
          const chunk = r.value;
          attempt.touch(idleMs);
          const events = parser.push(chunk);
          if (!(await this.emit(job, tracker, encoder, events, raw ? [relayed(parser, chunk)] : null, filter))) return this.abandon(up, ctx, tracker);
        }
      } catch (e) {
        if (job.clientGone.aborted) {
          ctx.errorType = 'client_closed';
        } else {
          const err = midStreamError(e, attempt, job.model.timeout);
          attempt.brokeMidStream(err.message);
          job.res.end((encoder ?? job.codec.streamEncoder(clientId(job), ctx.modelRequested, job.includeUsage)).error(err));
          ctx.errorType = err.type === 'timeout_error' ? 'timeout' : 'upstream_stream_error';
        }
        return this.stopped(ctx, tracker);
      }
      const last = parser.end();
      if (!(await this.emit(job, tracker, encoder, last, raw && parser.relay ? [parser.relay()] : null, filter))) return this.stopped(ctx, tracker);
    }
    if (await this.flushFilter(job, tracker, encoder, filter)) this.endStream(job, encoder);
    return this.stopped(ctx, tracker);
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

  /** The client left or the output guard ended the stream: stop reading the upstream. */
  private abandon(up: UpstreamResponse, ctx: RequestContext, tracker: StreamTracker): null {
    up.body.destroy();
    return this.stopped(ctx, tracker);
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

/** What a pass-through stream sends the client for an upstream chunk: the chunk, or what the parser re-framed of it. */
const relayed = (parser: StreamParser, chunk: Uint8Array): Uint8Array => (parser.relay ? parser.relay() : chunk);

const isContent = (e: StreamEvent) =>
  e.type === 'text_delta' || e.type === 'tool_call_start' || e.type === 'tool_call_delta' || e.type === 'thinking_delta';

const clientId = (job: ChatJob) =>
  (job.codec.format === 'openai' ? 'chatcmpl-' : 'msg_') + job.ctx.requestId.replace(/-/g, '');

import { randomBytes, randomUUID } from 'node:crypto';

/** Request ids are UUIDv4s; trace and span ids follow W3C trace-context (32 and 16 hex). */
export const newRequestId = (): string => randomUUID();
export const newTraceId = (): string => randomBytes(16).toString('hex');
export const newSpanId = (): string => randomBytes(8).toString('hex');

export interface TraceContext {
  traceId: string;
  parentSpanId: string | null;
  spanId: string;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** Continue the caller's trace when a valid traceparent is given, otherwise start one. */
export function traceContextFrom(header: string | undefined): TraceContext {
  const m = header ? TRACEPARENT.exec(header.trim().toLowerCase()) : null;
  if (m && m[2] !== '0'.repeat(32) && m[3] !== '0'.repeat(16) && m[1] !== 'ff') {
    return { traceId: m[2], parentSpanId: m[3], spanId: newSpanId() };
  }
  return { traceId: newTraceId(), parentSpanId: null, spanId: newSpanId() };
}

export const traceparentOf = (ctx: TraceContext): string => `00-${ctx.traceId}-${ctx.spanId}-01`;

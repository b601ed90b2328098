import { randomFillSync, randomUUID } from 'node:crypto';

/** Random bytes for trace and span ids come from a pool refilled 4 KiB at a time (one syscall per ~170 traces instead of two per trace). */
const POOL_SIZE = 4096;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let offset = POOL_SIZE;

function randomHex(bytes: number): string {
  if (offset + bytes > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}

/** Request ids are UUIDv4s; trace and span ids follow W3C trace-context (32 and 16 hex, never all zeros). */
export const newRequestId = (): string => randomUUID();
export const newTraceId = (): string => nonZero(randomHex(16), 16);
export const newSpanId = (): string => nonZero(randomHex(8), 8);

const nonZero = (hex: string, bytes: number): string => (/^0+$/.test(hex) ? nonZero(randomHex(bytes), bytes) : hex);

export interface TraceContext {
  traceId: string;
  parentSpanId: string | null;
  spanId: string;
  /** The caller's sampled flag (bit 0 of the traceparent flags); true when the trace starts here. */
  sampled: boolean;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** Continue the caller's trace when a valid traceparent is given, otherwise start one. */
export function traceContextFrom(header: string | undefined): TraceContext {
  const m = header ? TRACEPARENT.exec(header.trim().toLowerCase()) : null;
  if (m && m[2] !== '0'.repeat(32) && m[3] !== '0'.repeat(16) && m[1] !== 'ff') {
    return { traceId: m[2], parentSpanId: m[3], spanId: newSpanId(), sampled: (parseInt(m[4], 16) & 1) === 1 };
  }
  return { traceId: newTraceId(), parentSpanId: null, spanId: newSpanId(), sampled: true };
}

export const traceparentOf = (ctx: TraceContext): string => `00-${ctx.traceId}-${ctx.spanId}-01`;

import type { IncomingMessage } from 'node:http';
import { RequestContext } from './request-context';

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('RequestContext trace', () => {
  it('continues the caller trace from a valid traceparent with a new span', () => {
    const ctx = new RequestContext('openai', 'chat', req({ traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }));
    expect(ctx.trace.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(ctx.trace.parentSpanId).toBe('00f067aa0ba902b7');
    expect(ctx.trace.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(ctx.trace.spanId).not.toBe('00f067aa0ba902b7');
  });

  it('starts a trace without a traceparent, and keeps the same ids on every read', () => {
    const ctx = new RequestContext('anthropic', 'messages', req({}));
    const first = ctx.trace;
    expect(first.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(first.parentSpanId).toBeNull();
    expect(ctx.trace).toEqual(first);
    expect(new RequestContext('openai', 'chat', req({})).trace.traceId).not.toBe(first.traceId);
  });
});

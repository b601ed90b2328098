import { newSpanId, newTraceId, traceContextFrom, traceparentOf } from './ids';

describe('trace and span ids', () => {
  it('are W3C-shaped and distinct across many pool refills', () => {
    const traces = new Set<string>();
    const spans = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const t = newTraceId();
      const s = newSpanId();
      expect(t).toMatch(/^[0-9a-f]{32}$/);
      expect(s).toMatch(/^[0-9a-f]{16}$/);
      traces.add(t);
      spans.add(s);
    }
    expect(traces.size).toBe(2000);
    expect(spans.size).toBe(2000);
  });

  it('starts a new trace for an all-zero traceparent and renders a valid header', () => {
    const ctx = traceContextFrom(`00-${'0'.repeat(32)}-00f067aa0ba902b7-01`);
    expect(ctx.parentSpanId).toBeNull();
    expect(traceparentOf(ctx)).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it("keeps the caller's sampled flag so an unsampled caller's request is not exported", () => {
    expect(traceContextFrom('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01').sampled).toBe(true);
    expect(traceContextFrom('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00').sampled).toBe(false);
    expect(traceContextFrom(undefined).sampled).toBe(true);
  });
});

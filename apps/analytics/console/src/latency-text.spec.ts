import { explainLatency } from './latency-text';

const ok = { provider: 'openai', model: 'gpt-4o-mini', status: 200, error_type: null, latency_ms: 300 };

describe('trace latency in words', () => {
  it('names the failed attempts and their time when a request failed over', () => {
    const text = explainLatency({
      latency_ms: 2600,
      ttft_ms: null,
      stream: false,
      attempts: [{ provider: 'azure', model: 'gpt-4o-mini', status: 503, error_type: 'upstream_error', latency_ms: 2000 }, ok],
    }).join(' ');
    expect(text).toContain('One attempt failed first (azure/gpt-4o-mini 503 upstream_error), taking 2,000 ms before openai/gpt-4o-mini answered');
    expect(text).toContain('The other 300 ms was the gateway');
  });

  it('says a streamed body comes after the attempt latency, with the first token time', () => {
    const text = explainLatency({ latency_ms: 1500, ttft_ms: 320, stream: true, attempts: [ok] }).join(' ');
    expect(text).toContain('the streamed body comes after it');
    expect(text).toContain('The other 1,200 ms went to streaming the answer to the client (first token after 320 ms)');
    expect(text).not.toContain('failed first');
  });

  it('explains a request no upstream saw (a 404 for an unknown model, a cache hit)', () => {
    expect(explainLatency({ latency_ms: 4, ttft_ms: null, stream: false, attempts: [] })).toEqual([
      "No upstream was called: the whole 4.0 ms was the gateway's own work (authentication, limits, guardrails, cache).",
    ]);
  });
});

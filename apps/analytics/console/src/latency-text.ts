import { fmtMs } from './format';

export interface AttemptTiming {
  provider: string;
  model: string;
  status: number;
  error_type: string | null;
  latency_ms: number;
}

export interface RequestTiming {
  latency_ms: number;
  ttft_ms: number | null;
  stream: boolean;
  attempts: AttemptTiming[];
}

/**
 * The trace page's words for where a request's time went: total latency (arrival to the last byte
 * sent) against the attempts' latencies (each from sending upstream to the upstream's status and
 * headers), with failover and the gateway's own time named.
 */
export function explainLatency(t: RequestTiming): string[] {
  const out: string[] = [];
  if (t.attempts.length === 0) {
    out.push(`No upstream was called: the whole ${fmtMs(t.latency_ms)} was the gateway's own work (authentication, limits, guardrails, cache).`);
    return out;
  }
  out.push(
    `Total latency (${fmtMs(t.latency_ms)}) runs from the request's arrival to the last byte sent to the client. ` +
      `An attempt's latency runs from sending it upstream until the upstream answered with its status and headers` +
      `${t.stream ? '; the streamed body comes after it' : ''}, and includes connecting to the provider (slower on a first request or after an idle spell: a cold start).`,
  );
  const failed = t.attempts.slice(0, -1);
  const last = t.attempts[t.attempts.length - 1];
  if (failed.length > 0) {
    const lost = failed.reduce((a, x) => a + x.latency_ms, 0);
    const what = failed.map((a) => `${a.provider}/${a.model} ${a.status === 0 ? 'no answer' : a.status}${a.error_type ? ` ${a.error_type}` : ''}`).join(', ');
    out.push(
      `${failed.length === 1 ? 'One attempt' : `${failed.length} attempts`} failed first (${what}), taking ${fmtMs(lost)} before ` +
        `${last.provider}/${last.model} ${last.status >= 200 && last.status < 400 ? 'answered' : 'was tried last'}: failover adds the failed attempts' time to the total.`,
    );
  }
  const upstream = t.attempts.reduce((a, x) => a + x.latency_ms, 0);
  const rest = Math.max(0, t.latency_ms - upstream);
  out.push(
    t.stream
      ? `The other ${fmtMs(rest)} went to streaming the answer to the client${t.ttft_ms !== null ? ` (first token after ${fmtMs(t.ttft_ms)})` : ''} and to the gateway's own work (guardrails, waits between retries).`
      : `The other ${fmtMs(rest)} was the gateway's own work: authentication, limits, guardrails, waits between retries, reading the answer and writing it to the client.`,
  );
  return out;
}

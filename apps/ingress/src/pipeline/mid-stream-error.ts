import type { ModelConfig } from '@gatehouse/config';
import type { UpstreamAttempt } from '../routing/upstream-attempt';

/** The error event that ends a committed stream whose upstream broke: total timeout, idle gap, or lost connection. */
export function midStreamError(e: unknown, attempt: UpstreamAttempt, timeout: ModelConfig['timeout']): { type: string; message: string } {
  if (attempt.timedOut === 'total') return { type: 'timeout_error', message: `upstream stream exceeded the total timeout (${timeout.total_ms} ms)` };
  if (attempt.timedOut === 'idle' || (e as { code?: string })?.code === 'UND_ERR_BODY_TIMEOUT') {
    return { type: 'timeout_error', message: `upstream stream idle for more than ${timeout.stream_idle_ms} ms` };
  }
  return { type: 'api_error', message: 'upstream connection lost mid-stream' };
}

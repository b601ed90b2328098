import { counter, gauge, type Logger } from '@gatehouse/observability';
import type { BreakerState, TargetBoard } from '@gatehouse/routing';

const STATE_VALUE: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

/** Exports breaker states as Prometheus gauges and logs each transition (a listener on the board). */
export function exportBreakerMetrics(board: TargetBoard, log: Logger): () => void {
  const state = gauge('gatehouse_target_breaker_state', 'Circuit breaker of an upstream target in this process: 0 closed, 1 half-open, 2 open', ['target']);
  const transitions = counter('gatehouse_target_breaker_transitions_total', 'Circuit breaker state changes of an upstream target in this process', ['target', 'to']);
  return board.onChange((c) => {
    state.set({ target: c.target }, STATE_VALUE[c.to]);
    transitions.inc({ target: c.target, to: c.to });
    const fields = { target: c.target, from: c.from, to: c.to, reason: c.reason, last_error: c.last_error };
    if (c.to === 'open') log.warn(fields, 'circuit breaker opened');
    else log.info(fields, `circuit breaker ${c.to === 'closed' ? 'closed' : 'half-open'}`);
  });
}

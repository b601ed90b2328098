import type { AdmitRequest, AdmitResult, BudgetHit, ScopeLimits, ScopeState, SettleRequest, SpendCounters } from '../counters.port';
import { LimitsReply, type LimitsCall } from './ipc-limits-messages';

/** What a worker needs from its process: process itself in a cluster worker. */
export interface LimitsChannel {
  send?(message: unknown): boolean;
  on(event: 'message', listener: (m: unknown) => void): unknown;
  connected?: boolean;
}

/**
 * A standalone worker's counters: every call goes to the primary over the cluster IPC channel, where
 * one MemoryCounters serves all workers in order, so limits hold across GATEHOUSE_WORKERS. A call the
 * primary does not answer within timeoutMs fails (then limits.on_redis_error applies).
 */
export class IpcWorkerCounters implements SpendCounters {
  private seq = 0;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; timer: NodeJS.Timeout }>();

  constructor(
    timeoutMs: number,
    private readonly channel: LimitsChannel = process as unknown as LimitsChannel,
  ) {
    this.timeoutMs = Math.max(timeoutMs, 2000);
    channel.on('message', (raw) => {
      if (typeof raw !== 'object' || raw === null || !('gh_limits' in raw)) return;
      const m = LimitsReply.safeParse(raw);
      if (!m.success) return;
      const p = this.pending.get(m.data.id);
      if (!p) return;
      this.pending.delete(m.data.id);
      clearTimeout(p.timer);
      if (m.data.ok) p.resolve(m.data.value);
      else p.reject(new Error(m.data.error ?? 'limits call failed in the primary'));
    });
  }

  private readonly timeoutMs: number;

  admit(req: AdmitRequest): Promise<AdmitResult> {
    return this.call('admit', [req]) as Promise<AdmitResult>;
  }

  settle(req: SettleRequest): Promise<BudgetHit[]> {
    return this.call('settle', [req]) as Promise<BudgetHit[]>;
  }

  seed(counter: string, spentUsd: number, expireAt: number, budgetUsd: number): Promise<number> {
    return this.call('seed', [counter, spentUsd, expireAt, budgetUsd]) as Promise<number>;
  }

  peek(scopes: ScopeLimits[], now: number): Promise<ScopeState[]> {
    return this.call('peek', [scopes, now]) as Promise<ScopeState[]>;
  }

  connected(): boolean {
    return this.channel.connected !== false;
  }

  private call(op: LimitsCall['op'], args: unknown[]): Promise<unknown> {
    if (!this.channel.send || this.channel.connected === false) return Promise.reject(new Error('limits: no IPC channel to the standalone primary'));
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`limits: the standalone primary did not answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.channel.send!({ gh_limits: 'call', id, op, args } satisfies LimitsCall);
    });
  }
}

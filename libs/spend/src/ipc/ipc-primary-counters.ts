import type { Cluster, Worker } from 'node:cluster';
import type { AdmitRequest, ScopeLimits, SettleRequest, SpendCounters } from '../counters.port';
import { LimitsCall, type LimitsReply } from './ipc-limits-messages';

type ClusterLike = Pick<Cluster, 'on' | 'off'>;

/** Primary side: answers the workers' counter calls from one SpendCounters (the primary's memory, or Redis). */
export function serveCountersToWorkers(counters: SpendCounters, cluster: ClusterLike): { close(): void } {
  const onMessage = (worker: Pick<Worker, 'send'>, raw: unknown) => {
    if (typeof raw !== 'object' || raw === null || !('gh_limits' in raw)) return;
    const parsed = LimitsCall.safeParse(raw);
    if (!parsed.success) return;
    const m = parsed.data;
    const reply = (r: Omit<LimitsReply, 'gh_limits' | 'id'>) => {
      try {
        worker.send({ gh_limits: 'reply', id: m.id, ...r } satisfies LimitsReply);
      } catch {
        // the worker is gone; nothing to answer
      }
    };
    run(counters, m)
      .then((value) => reply({ ok: true, value }))
      .catch((e: unknown) => reply({ ok: false, error: (e as Error).message }));
  };
  cluster.on('message', onMessage);
  return { close: () => void cluster.off('message', onMessage) };
}

function run(c: SpendCounters, m: LimitsCall): Promise<unknown> {
  const a = m.args;
  switch (m.op) {
    case 'admit':
      return c.admit(a[0] as AdmitRequest);
    case 'settle':
      return c.settle(a[0] as SettleRequest);
    case 'seed':
      return c.seed(String(a[0]), Number(a[1]), Number(a[2]), Number(a[3] ?? 0));
    case 'peek':
      return c.peek(a[0] as ScopeLimits[], Number(a[1]));
  }
}

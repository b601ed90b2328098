import { EventEmitter } from 'node:events';
import type { Cluster } from 'node:cluster';
import pino from 'pino';
import { replicateCacheAcrossWorkers } from './ipc-cache-primary';
import { IpcReplicaResponseCache } from './ipc-replica-response-cache';

const logger = pino({ level: 'silent' });
const tick = () => new Promise((r) => setImmediate(r));

/** Workers wired to one primary the way node:cluster delivers messages (asynchronously, as copies). */
function cluster() {
  const primary = new EventEmitter() as EventEmitter & { workers: Record<string, unknown> };
  primary.workers = {};
  let n = 0;
  const worker = () => {
    const channel = new EventEmitter() as EventEmitter & { connected: boolean; send: (m: unknown, ...rest: unknown[]) => boolean };
    const handle = {
      isConnected: () => true,
      send: (m: unknown) => {
        setImmediate(() => channel.emit('message', structuredClone(m)));
        return true;
      },
    };
    primary.workers[String(++n)] = handle;
    channel.connected = true;
    channel.send = (m: unknown) => {
      setImmediate(() => primary.emit('message', handle, structuredClone(m)));
      return true;
    };
    return channel;
  };
  return { primary: primary as unknown as Pick<Cluster, 'on' | 'off' | 'workers'>, worker };
}

describe('standalone cache replicated across workers over IPC', () => {
  it('an entry stored by one worker is found by every other worker, and expires with the same deadline', async () => {
    const c = cluster();
    const stop = replicateCacheAcrossWorkers(c.primary, logger);
    const [a, b, d] = [0, 1, 2].map(() => new IpcReplicaResponseCache(1024 * 1024, logger, c.worker() as never));
    await expect(b.get('k')).resolves.toBeNull();
    a.set('k', 'entry', 1);
    await expect(a.get('k')).resolves.toBe('entry');
    await tick();
    await tick();
    await expect(b.get('k')).resolves.toBe('entry');
    await expect(d.get('k')).resolves.toBe('entry');
    await new Promise((r) => setTimeout(r, 1_050));
    await expect(b.get('k')).resolves.toBeNull();
    stop();
    await Promise.all([a, b, d].map((x) => x.close()));
  });

  it('still caches locally when the channel to the primary is closed', async () => {
    const closed = Object.assign(new EventEmitter(), { connected: false, send: () => false });
    const w = new IpcReplicaResponseCache(1024, logger, closed as never);
    w.set('k', 'v', 60);
    await expect(w.get('k')).resolves.toBe('v');
    await w.close();
  });
});

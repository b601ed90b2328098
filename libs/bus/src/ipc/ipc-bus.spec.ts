import { EventEmitter } from 'node:events';
import pino from 'pino';
import { KeyRecordSchema, KeysTopic, type KeyRecord } from '@gatehouse/contracts';
import { createInProcessBus } from '../in-process/in-process-bus';
import { bridgeWorkersToBus } from './ipc-primary';
import { createIpcWorkerBus, type IpcChannel } from './ipc-worker';

const logger = pino({ level: 'silent' });
const key = (id: string, team: string): KeyRecord => KeyRecordSchema.parse({ id, name: id, key_sha256: 'a'.repeat(64), team, created_at: 1 });

/** A worker/primary pair joined the way node:cluster joins them: messages travel asynchronously both ways (to the worker after delayMs when set: a busy worker). */
function wire(cluster = new EventEmitter(), delayMs = 0) {
  const workerSide = new EventEmitter() as EventEmitter & IpcChannel;
  const workerHandle = Object.assign(new EventEmitter(), {
    send(m: unknown) {
      const copy = structuredClone(m);
      if (delayMs > 0) setTimeout(() => workerSide.emit('message', copy), delayMs);
      else setImmediate(() => workerSide.emit('message', copy));
      return true;
    },
  });
  workerSide.connected = true;
  workerSide.send = (m: unknown, _h?: undefined, _o?: undefined, cb?: (e: Error | null) => void) => {
    setImmediate(() => {
      cluster.emit('message', workerHandle, structuredClone(m));
      cb?.(null);
    });
    return true;
  };
  return { cluster, workerSide };
}

describe('IPC bus between standalone workers and the primary', () => {
  it('forwards worker publishes into the primary bus and keeps worker watches current', async () => {
    const primary = createInProcessBus({ dataDir: null, logger });
    primary.publish(KeysTopic, 'k1', key('k1', 'red'));
    const { cluster, workerSide } = wire();
    const bridge = await bridgeWorkersToBus(primary, cluster as never, logger);
    const worker = createIpcWorkerBus(workerSide);

    const seen = new Map<string, KeyRecord>();
    await worker.watch(KeysTopic, (k, v) => (v === null ? seen.delete(k) : seen.set(k, v)));
    expect([...seen.keys()]).toEqual(['k1']);

    const fromWorker: string[] = [];
    await primary.subscribe(KeysTopic, { group: 'g', fromBeginning: true }, async (b) => {
      fromWorker.push(...b.map((d) => d.key!));
    });
    worker.publish(KeysTopic, 'k2', key('k2', 'blue'));
    await worker.flush();
    primary.publish(KeysTopic, 'k1', null);
    await new Promise((r) => setTimeout(r, 50));
    expect(fromWorker).toEqual(['k1', 'k2', 'k1']);
    expect([...seen]).toEqual([['k2', key('k2', 'blue')]]);

    expect(() => worker.publish(KeysTopic, 'bad', { id: 'x' } as unknown as KeyRecord)).toThrow(/invalid value/);
    await expect(worker.subscribe(KeysTopic, { group: 'g' }, async () => undefined)).rejects.toThrow(/not supported in worker/);
    await worker.close();
    await bridge.close();
    await primary.close();
  });

  it('sync() returns once every other worker has applied what was published before it', async () => {
    const primary = createInProcessBus({ dataDir: null, logger });
    const a = wire();
    const b = wire(a.cluster, 5);
    const bridge = await bridgeWorkersToBus(primary, a.cluster as never, logger);
    const workerA = createIpcWorkerBus(a.workerSide);
    const workerB = createIpcWorkerBus(b.workerSide);
    const seenByB = new Set<string>();
    await workerA.watch(KeysTopic, () => undefined);
    await workerB.watch(KeysTopic, (k, v) => (v === null ? seenByB.delete(k) : seenByB.add(k)));

    for (let i = 0; i < 20; i++) {
      workerA.publish(KeysTopic, `k${i}`, key(`k${i}`, 'red'));
      await workerA.sync();
      expect(seenByB.has(`k${i}`)).toBe(true);
    }
    workerA.publish(KeysTopic, 'k3', null);
    await workerA.sync();
    expect(seenByB.has('k3')).toBe(false);
    await Promise.all([workerA.close(), workerB.close()]);
    await bridge.close();
    await primary.close();
  });
});

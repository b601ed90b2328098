import { EventEmitter } from 'node:events';
import pino from 'pino';
import { KeyRecordSchema, KeysTopic, type KeyRecord } from '@gatehouse/contracts/key';
import { createInProcessBus } from '../in-process/in-process-bus';
import { bridgeWorkersToBus } from './ipc-primary';
import { createIpcWorkerBus, type IpcChannel } from './ipc-worker';

const logger = pino({ level: 'silent' });
const key = (id: string, team: string): KeyRecord => KeyRecordSchema.parse({ id, name: id, key_sha256: 'a'.repeat(64), team, created_at: 1 });

/** A worker/primary pair joined the way node:cluster joins them: messages travel asynchronously both ways. */
function wire() {
  const cluster = new EventEmitter();
  const workerSide = new EventEmitter() as EventEmitter & IpcChannel;
  const workerHandle = Object.assign(new EventEmitter(), {
    send(m: unknown) {
      setImmediate(() => workerSide.emit('message', structuredClone(m)));
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
});

import pino from 'pino';
import { BusCounters } from '../bus-metrics';
import { PublishBuffer, type OutMessage } from './publish-buffer';

const log = pino({ level: 'silent' });
const msg = (n: number): OutMessage => ({ topic: 't', key: `k${n}`, value: String(n) });
const keys = (batch: readonly OutMessage[]) => batch.map((m) => m.key);

async function until(cond: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('PublishBuffer', () => {
  it('retries a failed batch unchanged, and sends what arrived meanwhile in the next batch', async () => {
    const sent: string[][] = [];
    let failNext = true;
    let release: () => void = () => undefined;
    const send = async (batch: readonly OutMessage[]) => {
      sent.push(keys(batch));
      if (failNext) {
        failNext = false;
        await new Promise<void>((r) => (release = r));
        throw new Error('request timed out');
      }
    };
    const buffer = new PublishBuffer(send, 100, new BusCounters(log), log);
    for (let n = 0; n < 3; n++) buffer.push(msg(n));
    await until(() => sent.length === 1);
    for (let n = 3; n < 5; n++) buffer.push(msg(n));
    release();
    await buffer.drain(10_000);
    expect(sent).toEqual([
      ['k0', 'k1', 'k2'],
      ['k0', 'k1', 'k2'],
      ['k3', 'k4'],
    ]);
    expect(await buffer.stop(100)).toBe(0);
  });

  it('drops and counts messages beyond its capacity while the bus fails', async () => {
    const counters = new BusCounters(log);
    const buffer = new PublishBuffer(async () => Promise.reject(new Error('down')), 2, counters, log);
    for (let n = 0; n < 5; n++) buffer.push(msg(n));
    expect(counters.stats()).toMatchObject({ buffered: 2, dropped: 3 });
    expect(await buffer.stop(10)).toBe(2);
  });
});

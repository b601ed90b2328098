import pino from 'pino';
import { registry } from '@gatehouse/observability';
import { RETAIN_MAX, TopicLog } from './topic-log';

describe('TopicLog retention', () => {
  it('keeps the newest RETAIN_MAX entries of a topic no group moves past, and counts and logs what it drops', async () => {
    const lines: { msg: string; topic: string; dropped: number }[] = [];
    const log = pino({ level: 'warn' }, { write: (l: string) => lines.push(JSON.parse(l)) });
    const t = new TopicLog('test.retention.v1', false, null, 0, log);
    const over = Math.floor(RETAIN_MAX * 1.1) + 1;
    for (let i = 0; i < over; i++) t.append(`k${i}`, '{}');
    expect(t.end).toBe(over);
    expect(t.end - t.start).toBe(RETAIN_MAX);
    expect(t.read(0, 1)[0]!.o).toBe(over - RETAIN_MAX);
    expect(lines).toEqual([expect.objectContaining({ msg: expect.stringMatching(/over its retention/), topic: 'test.retention.v1', dropped: over - RETAIN_MAX })]);
    expect(await registry.getSingleMetricAsString('gatehouse_bus_retention_dropped_total')).toContain(`gatehouse_bus_retention_dropped_total{topic="test.retention.v1"} ${over - RETAIN_MAX}`);
  });
});

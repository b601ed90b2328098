/**
 * What publishing traces costs a process, without the rest of the request path: one process builds
 * traces and publishes them through the Kafka bus (schema check, JSON, kafkajs' record and batch
 * encoding, GZIP, the produce round trip) at a steady rate to a real broker, and reports its own CPU
 * per trace and the broker's.
 *
 * Run: npm run bench:traces (builds, then node dist/bench/trace-publish.js)
 *   --rate N     traces per second (default 5,000: the gateway's pass-through rate on 2 cores)
 *   --seconds N  per round (default 5)   --rounds N (default 3)
 * KAFKA_BROKERS: an existing broker; else one is started for the run (its CPU is then reported too).
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { createKafkaBus } from '@gatehouse/bus';
import { TracesTopic } from '@gatehouse/contracts';
import { kafkaBrokers } from './support/processes';
import { cpuMs } from './support/proc-stats';
import { syntheticTrace } from './support/synthetic-trace';

const log = (m: string) => process.stderr.write(`${m}\n`);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rate: { type: 'string', default: '5000' }, seconds: { type: 'string', default: '5' }, rounds: { type: 'string', default: '3' } } });
  const rate = Number(values.rate);
  const seconds = Number(values.seconds);
  const rounds = Number(values.rounds);
  const kafka = await kafkaBrokers();
  const brokerPid = kafka.pid;
  try {
    const bus = await createKafkaBus({ brokers: kafka.brokers.split(','), clientId: 'bench-traces', logger: pino({ level: 'warn' }) });
    await bus.ensureTopics();
    for (let i = 0; i < 2000; i++) bus.publish(TracesTopic, `warm-${i}`, syntheticTrace(i, Date.now()));
    await bus.flush(30_000);
    const out = [
      `## Trace publishing (${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}, ${new Date().toISOString()})`,
      '',
      `${rate} traces/s for ${seconds} s per round, through the Kafka bus (kafkajs, GZIP level 1, 50 ms linger) to ${kafka.brokers}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} at start.`,
      '',
      '| round | traces | publisher CPU µs/trace (user + system) | broker CPU µs/trace |',
      '| ---: | ---: | ---: | ---: |',
    ];
    let seq = 0;
    for (let r = 1; r <= rounds; r++) {
      const cpu0 = process.cpuUsage();
      const broker0 = brokerPid ? cpuMs(brokerPid) : NaN;
      const t0 = Date.now();
      let sent = 0;
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          const now = Date.now();
          const due = Math.min(rate * seconds, Math.floor(((now - t0) / 1000) * rate));
          for (; sent < due; sent++) bus.publish(TracesTopic, `trace-${process.pid}-${seq}`, syntheticTrace(seq++, now));
          if (sent >= rate * seconds) {
            clearInterval(timer);
            resolve();
          }
        }, 2);
      });
      await bus.flush(30_000);
      const used = process.cpuUsage(cpu0);
      const brokerUs = brokerPid ? ((cpuMs(brokerPid) - broker0) * 1000) / sent : NaN;
      const line = `| ${r} | ${sent} | ${((used.user + used.system) / sent).toFixed(1)} (${(used.user / sent).toFixed(1)} + ${(used.system / sent).toFixed(1)}) | ${Number.isFinite(brokerUs) ? brokerUs.toFixed(1) : 'n/a (KAFKA_BROKERS)'} |`;
      log(line);
      out.push(line);
    }
    await bus.close();
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await kafka.stop();
  }
}

main().catch((e: Error) => {
  log(`trace publish bench failed: ${e.stack ?? e.message}`);
  process.exit(1);
});

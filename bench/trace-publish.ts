/**
 * What publishing traces costs a process, without the rest of the request path: one process builds
 * traces and publishes them through the Kafka bus (schema check, JSON, kafkajs' record and batch
 * encoding, GZIP, the produce round trip) at a steady rate to a real broker, and reports its own CPU
 * per trace, the broker's, and how late the event loop runs a 1 ms timer while publishing and while
 * only building the same traces (a batch's encoding holds the loop: what a request waiting on it sees).
 *
 * Run: npm run bench:traces (builds, then node dist/bench/trace-publish.js)
 *   --rate N     traces per second (default 5,000: the gateway's pass-through rate on 2 cores)
 *   --seconds N  per round (default 5)   --rounds N (default 3)
 * KAFKA_BROKERS: an existing broker; else one is started for the run (its CPU is then reported too).
 */
import { cpus, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
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
      'Each round also builds the same traces for as long without publishing them (the baseline of the event-loop delay: a 1 ms timer\'s lateness, as a request waiting on the loop would see it).',
      '',
      '| round | traces | publisher CPU µs/trace (user + system) | broker CPU µs/trace | event-loop delay p99 / p99.9 / max ms, publishing | the same, not publishing |',
      '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ];
    let seq = 0;
    /** Builds rate traces a second for `seconds` (publishing them when asked) and reads the event loop's delay meanwhile. */
    const round = async (publish: boolean) => {
      const delay = monitorEventLoopDelay({ resolution: 1 });
      delay.enable();
      const t0 = Date.now();
      let sent = 0;
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          const now = Date.now();
          const due = Math.min(rate * seconds, Math.floor(((now - t0) / 1000) * rate));
          for (; sent < due; sent++) {
            const trace = syntheticTrace(seq++, now);
            if (publish) bus.publish(TracesTopic, `trace-${process.pid}-${seq}`, trace);
          }
          if (sent >= rate * seconds) {
            clearInterval(timer);
            resolve();
          }
        }, 2);
      });
      delay.disable();
      const ms = (ns: number) => (ns / 1e6).toFixed(2);
      return { sent, loop: `${ms(delay.percentile(99))} / ${ms(delay.percentile(99.9))} / ${ms(delay.max)}` };
    };
    for (let r = 1; r <= rounds; r++) {
      const quiet = await round(false);
      const cpu0 = process.cpuUsage();
      const broker0 = brokerPid ? cpuMs(brokerPid) : NaN;
      const { sent, loop } = await round(true);
      await bus.flush(30_000);
      const used = process.cpuUsage(cpu0);
      const brokerUs = brokerPid ? ((cpuMs(brokerPid) - broker0) * 1000) / sent : NaN;
      const line = `| ${r} | ${sent} | ${((used.user + used.system) / sent).toFixed(1)} (${(used.user / sent).toFixed(1)} + ${(used.system / sent).toFixed(1)}) | ${Number.isFinite(brokerUs) ? brokerUs.toFixed(1) : 'n/a (KAFKA_BROKERS)'} | ${loop} | ${quiet.loop} |`;
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

/**
 * Re-publishes fixed messages to their source topic.
 *
 *   node dist/apps/analytics/src/ingest/dlq-replay.js --file fixed.jsonl [--dry-run]
 *   node dist/apps/analytics/src/ingest/dlq-replay.js --from-dlq [--source gatehouse.traces.v1]
 *        [--reason-contains text] [--key-prefix p] [--since <epoch ms|ISO>] [--dry-run]
 *
 * A file line is {"source_topic","key","value"} (a DLQ record with its value fixed, as a JSON
 * string or an object). --from-dlq reads gatehouse.dlq.v1 from the beginning with a throwaway
 * consumer group and replays the matching records whose value now passes the schema (e.g. after a
 * producer bug was fixed). Values are validated before anything is sent; the ingest dedupes by id,
 * so replaying something already stored does not count it twice. Needs KAFKA_BROKERS.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseEnv } from '@gatehouse/config';
import { DlqTopic, type DlqRecord } from '@gatehouse/contracts';
import { createKafkaBus, type Bus } from '@gatehouse/bus';
import { createLogger } from '@gatehouse/observability';
import { planFromDlq, planFromFile, type ReplayFilter, type ReplayPlan } from './dlq-replay.plan';

async function readDlq(bus: Bus, idleMs = 2000): Promise<DlqRecord[]> {
  const records: DlqRecord[] = [];
  let last = Date.now();
  const sub = await bus.subscribe(DlqTopic, { group: `gatehouse-dlq-replay-${randomUUID()}`, fromBeginning: true }, async (batch) => {
    for (const m of batch) if (m.value) records.push(m.value);
    last = Date.now();
  });
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    const lag = await sub.lag().catch(() => null);
    if (lag === 0 && Date.now() - last > 250) break;
    if (lag === null && Date.now() - last > idleMs) break;
  }
  await sub.close();
  return records;
}

function parseSince(v: string | undefined): number | undefined {
  if (!v) return undefined;
  const ms = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(ms)) throw new Error(`--since: expected epoch ms or ISO-8601, got ${v}`);
  return ms;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      file: { type: 'string' },
      'from-dlq': { type: 'boolean', default: false },
      source: { type: 'string' },
      'reason-contains': { type: 'string' },
      'key-prefix': { type: 'string' },
      since: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  if (!values.file === !values['from-dlq']) {
    process.stderr.write('usage: dlq-replay --file fixed.jsonl | --from-dlq [--source topic] [--reason-contains s] [--key-prefix p] [--since t] [--dry-run]\n');
    return 2;
  }
  const env = parseEnv(process.env);
  if (!env.KAFKA_BROKERS) throw new Error('KAFKA_BROKERS must be set');
  const logger = createLogger(env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL);
  const bus = await createKafkaBus({ brokers: env.KAFKA_BROKERS.split(','), clientId: `${env.KAFKA_CLIENT_ID}-dlq-replay`, logger });
  try {
    let plan: ReplayPlan;
    if (values.file) {
      plan = planFromFile(readFileSync(values.file, 'utf8'));
    } else {
      const filter: ReplayFilter = {
        sourceTopic: values.source, reasonContains: values['reason-contains'], keyPrefix: values['key-prefix'], since: parseSince(values.since),
      };
      plan = planFromDlq(await readDlq(bus), filter);
    }
    for (const r of plan.rejected) process.stderr.write(`skipped ${r.where}: ${r.reason}\n`);
    if (!values['dry-run']) {
      for (const p of plan.publish) bus.publish(p.topic, p.key, p.value);
      await bus.flush(30_000);
      const stats = bus.stats();
      if (stats.buffered > 0 || stats.publishErrors > 0) throw new Error(`publish incomplete: ${JSON.stringify(stats)}`);
    }
    const byTopic: Record<string, number> = {};
    for (const p of plan.publish) byTopic[p.topic.name] = (byTopic[p.topic.name] ?? 0) + 1;
    process.stdout.write(`${JSON.stringify({ dry_run: values['dry-run'], republished: byTopic, skipped: plan.rejected.length })}\n`);
    return plan.rejected.length > 0 && plan.publish.length === 0 ? 1 : 0;
  } finally {
    await bus.close();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e: Error) => {
      process.stderr.write(`dlq-replay: ${e.message}\n`);
      process.exit(1);
    },
  );
}

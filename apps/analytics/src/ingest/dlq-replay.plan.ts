import { z } from 'zod';
import { ALL_TOPICS, type DlqRecord, type TopicDef } from '@gatehouse/contracts';

/** One line of a fixed file: a DLQ record as dumped (value a JSON string) or with the value fixed as an object. */
export const ReplayLineSchema = z.object({
  source_topic: z.string().min(1),
  key: z.string().nullable(),
  value: z.union([z.string(), z.record(z.string(), z.unknown())]),
}).loose();

export interface ReplayFilter {
  sourceTopic?: string;
  reasonContains?: string;
  keyPrefix?: string;
  since?: number;
}

export interface ReplayItem {
  topic: TopicDef<unknown>;
  key: string;
  value: unknown;
}

export interface ReplayPlan {
  publish: ReplayItem[];
  rejected: { where: string; reason: string }[];
}

/** Only the event topics can be replayed to (never the DLQ itself). */
const TARGETS = new Map<string, TopicDef<unknown>>(
  ALL_TOPICS.filter((t) => t.name !== 'gatehouse.dlq.v1').map((t) => [t.name, t as TopicDef<unknown>]),
);

function item(sourceTopic: string, key: string | null, value: unknown, where: string, plan: ReplayPlan): void {
  const topic = TARGETS.get(sourceTopic);
  if (!topic) return void plan.rejected.push({ where, reason: `unknown source topic ${sourceTopic}` });
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch (e) {
      return void plan.rejected.push({ where, reason: `value is not JSON: ${(e as Error).message}` });
    }
  }
  const r = topic.schema.safeParse(parsed);
  if (!r.success) {
    const issue = r.error.issues[0];
    return void plan.rejected.push({ where, reason: `still invalid: ${issue.path.join('.')}: ${issue.message}` });
  }
  const value_ = r.data as Record<string, unknown>;
  const fallbackKey = typeof value_.request_id === 'string' ? value_.request_id : typeof value_.id === 'string' ? value_.id : null;
  const k = key ?? fallbackKey;
  if (!k) return void plan.rejected.push({ where, reason: 'no key and none derivable from the value' });
  plan.publish.push({ topic, key: k, value: r.data });
}

/** Lines of a fixed JSONL file → what to publish, and what is still wrong (with the line number). */
export function planFromFile(text: string): ReplayPlan {
  const plan: ReplayPlan = { publish: [], rejected: [] };
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    const where = `line ${i + 1}`;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (e) {
      return void plan.rejected.push({ where, reason: `not JSON: ${(e as Error).message}` });
    }
    const r = ReplayLineSchema.safeParse(raw);
    if (!r.success) return void plan.rejected.push({ where, reason: 'expected {source_topic, key, value}' });
    item(r.data.source_topic, r.data.key, r.data.value, where, plan);
  });
  return plan;
}

export function matches(record: DlqRecord, f: ReplayFilter): boolean {
  if (f.sourceTopic && record.source_topic !== f.sourceTopic) return false;
  if (f.reasonContains && !record.reason.includes(f.reasonContains)) return false;
  if (f.keyPrefix && !(record.key ?? '').startsWith(f.keyPrefix)) return false;
  if (f.since !== undefined && record.ts < f.since) return false;
  return true;
}

/** DLQ records (matching the filter) whose value now passes its topic's schema. */
export function planFromDlq(records: DlqRecord[], f: ReplayFilter): ReplayPlan {
  const plan: ReplayPlan = { publish: [], rejected: [] };
  for (const rec of records) {
    if (!matches(rec, f)) continue;
    const where = `${rec.source_topic}[${rec.partition}]@${rec.offset}`;
    if (rec.value === null) {
      plan.rejected.push({ where, reason: 'empty value' });
      continue;
    }
    item(rec.source_topic, rec.key, rec.value, where, plan);
  }
  return plan;
}

import type { Admin } from 'kafkajs';

/** Messages on the topic past the group's committed offsets (a partition without a commit counts from its low watermark). */
export async function topicLag(admin: Admin, group: string, topic: string): Promise<number | null> {
  try {
    const [ends, committed] = await Promise.all([
      admin.fetchTopicOffsets(topic),
      admin.fetchOffsets({ groupId: group, topics: [topic] }),
    ]);
    const byPartition = new Map<number, bigint>();
    for (const t of committed) for (const p of t.partitions) byPartition.set(p.partition, BigInt(p.offset));
    let lag = 0n;
    for (const p of ends) {
      const high = BigInt(p.high);
      const low = BigInt(p.low);
      const c = byPartition.get(p.partition) ?? -1n;
      const from = c < 0n ? low : c;
      if (high > from) lag += high - from;
    }
    return Number(lag);
  } catch {
    return null;
  }
}

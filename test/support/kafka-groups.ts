import { Kafka, logLevel } from 'kafkajs';
import { kafkaGroupId } from '@gatehouse/bus';

/**
 * Commits the offsets of a bus subscription group on each of `topics` at the topic's current end, so
 * a subscriber that starts afterwards reads only what is published from now on. The integration tests
 * share one broker per run, and an analytics consumer group that is new (or behind) otherwise first
 * ingests every trace all earlier test files published: minutes of backlog when batches are small. A group must have no
 * live member to take offsets; one whose last member was killed keeps it until its session times out
 * (10 s), so this retries for up to 30 s.
 */
export async function startGroupsAtEnd(brokers: string[], group: string, topics: ReadonlyArray<{ name: string }>): Promise<void> {
  const admin = new Kafka({ brokers, clientId: 'test-groups-at-end', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    // kafkajs sets a group's offsets by joining it with a consumer for one fetch (~5 s): all topics at once.
    await Promise.all(
      topics.map(async ({ name: topic }) => {
        const groupId = kafkaGroupId(group, { name: topic });
        const partitions = (await admin.fetchTopicOffsets(topic)).map((p) => ({ partition: p.partition, offset: p.offset }));
        for (let until = Date.now() + 30_000; ; ) {
          try {
            return await admin.setOffsets({ groupId, topic, partitions });
          } catch (e) {
            if (Date.now() > until) throw new Error(`could not move group ${groupId} to the end of ${topic}: ${(e as Error).message}`);
            await new Promise((r) => setTimeout(r, 500));
          }
        }
      }),
    );
  } finally {
    await admin.disconnect();
  }
}

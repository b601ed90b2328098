import type { DlqRecord } from '@gatehouse/contracts';
import { planFromDlq, planFromFile } from './dlq-replay.plan';

const verdict = {
  verdict_id: 'v1', request_id: 'r1', ts: 1, policy_id: 'p', policy_version: 1, check_index: 0, check_type: 'pii', stage: 'input',
  action: 'flag', outcome: 'fail', mode: 'enforce', applied: true, score: null, details: [], async: false, key_id: null, team: 't', model: null,
};

describe('DLQ replay plan', () => {
  it('republishes fixed lines to their source topic and reports the ones still wrong with their line', () => {
    const text = [
      JSON.stringify({ source_topic: 'gatehouse.verdicts.v1', key: 'r1', value: JSON.stringify(verdict), reason: 'schema: …', offset: '4' }),
      JSON.stringify({ source_topic: 'gatehouse.verdicts.v1', key: null, value: { ...verdict, verdict_id: 'v2' } }),
      JSON.stringify({ source_topic: 'gatehouse.verdicts.v1', key: 'r3', value: { ...verdict, stage: 'sideways' } }),
      '',
      'not json',
      JSON.stringify({ source_topic: 'gatehouse.dlq.v1', key: 'x', value: '{}' }),
    ].join('\n');
    const plan = planFromFile(text);
    expect(plan.publish.map((p) => [p.topic.name, p.key, (p.value as { verdict_id: string }).verdict_id])).toEqual([
      ['gatehouse.verdicts.v1', 'r1', 'v1'],
      ['gatehouse.verdicts.v1', 'r1', 'v2'],
    ]);
    expect(plan.rejected.map((r) => r.where)).toEqual(['line 3', 'line 5', 'line 6']);
    expect(plan.rejected[0].reason).toContain('stage');
  });

  it('replays only DLQ records matching the filter whose value is now valid', () => {
    const rec = (over: Partial<DlqRecord>): DlqRecord => ({
      source_topic: 'gatehouse.verdicts.v1', partition: 0, offset: '1', key: 'r1', value: JSON.stringify(verdict),
      reason: 'schema: x', consumer_group: 'g', ts: 1000, ...over,
    });
    const plan = planFromDlq(
      [rec({}), rec({ offset: '2', ts: 10 }), rec({ offset: '3', source_topic: 'gatehouse.traces.v1' }), rec({ offset: '4', value: '{"broken"' })],
      { sourceTopic: 'gatehouse.verdicts.v1', since: 500 },
    );
    expect(plan.publish).toHaveLength(1);
    expect(plan.rejected).toEqual([{ where: 'gatehouse.verdicts.v1[0]@4', reason: expect.stringContaining('not JSON') }]);
  });
});

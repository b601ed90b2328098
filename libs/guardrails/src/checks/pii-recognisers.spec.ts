import { CheckSchema } from '@gatehouse/contracts';
import { score } from '../labelled.testing';
import { createPiiCheck } from './pii.check';
import { PII_TABLE_REGIONS, PII_TABLES } from './pii.table';

const ctx = { requestId: 'r', team: 't', keyId: 'k', model: 'm' };
const check = createPiiCheck(CheckSchema.parse({ type: 'pii', phone_regions: PII_TABLE_REGIONS }) as never);
const detect = (text: string): string[] => [...(check.evaluate({ stage: 'input', texts: [text] }, ctx) as unknown as { details: string[] }).details];

describe('pii recognisers: labelled tables', () => {
  it.each(PII_TABLES)('%s: ≥ 100 rows, precision ≥ 0.97 and recall ≥ 0.95', (name, table) => {
    expect(table.length).toBeGreaterThanOrEqual(100);
    const s = score(`pii ${name}`, table, (text) => detect(text).filter((l) => l === name));
    expect(s.precision).toBeGreaterThanOrEqual(0.97);
    expect(s.recall).toBeGreaterThanOrEqual(0.95);
  });

  it('context words are optional: with context: false a national number of another region after "Tel." does not count', () => {
    const strict = createPiiCheck(CheckSchema.parse({ type: 'pii', context: false }) as never);
    const found = (c: typeof check, text: string) => [...(c.evaluate({ stage: 'input', texts: [text] }, ctx) as unknown as { details: string[] }).details];
    expect(found(check, 'Tel.: 0151 23456789')).toEqual(['phone']);
    expect(found(strict, 'Tel.: 0151 23456789')).toEqual([]);
    expect(found(check, 'SSN: 536228412')).toEqual(['us_ssn']);
    expect(found(strict, 'SSN: 536228412')).toEqual([]);
  });

  it('stays linear on 1 MB of adversarial input (digits, separators, plus signs, @, colons)', () => {
    const MB = 1 << 20;
    const inputs = ['+1 '.repeat(MB / 3), '4111 1111 '.repeat(MB / 10), '0'.repeat(MB), '(1) '.repeat(MB / 4), 'a@'.repeat(MB / 2), 'ab:'.repeat(MB / 3), 'DE89 '.repeat(MB / 5), '123-45-'.repeat(MB / 7)];
    for (const text of inputs) {
      const t0 = process.hrtime.bigint();
      check.evaluate({ stage: 'input', texts: [text] }, ctx);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      expect(ms).toBeLessThan(3000);
    }
  });
});

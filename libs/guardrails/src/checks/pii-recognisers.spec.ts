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

  it('finds each value where the scans start and stop: a phone number closing a long run of digit groups, IPv4 addresses only as whole runs of digits and dots, a bare SSN only after an SSN word', () => {
    const found = (text: string): string[] => {
      const v = check.evaluate({ stage: 'input', texts: [text] }, ctx) as unknown as { spans: { start: number; end: number; label: string }[] };
      return v.spans.map((sp) => `${sp.label.toLowerCase()}:${text.slice(sp.start, sp.end)}`);
    };
    expect(found(`${'4111 1111 1111 '.repeat(5000)}+1 415 555 0132 today`).filter((f) => f.startsWith('phone:'))).toEqual(['phone:+1 415 555 0132']);
    expect(found(`${'7'.repeat(100_000)} call +1 415 555 0132`)).toEqual(['phone:+1 415 555 0132']);
    expect(found('from 10.24.3.17, not 1.2.3.4.5, 999.1.1.1, a1.2.3.4 or v1.2.3.4; then 192.168.0.44.')).toEqual(['ip_address:10.24.3.17', 'ip_address:192.168.0.44']);
    expect(found('order 536228412 shipped')).toEqual([]);
    expect(found('order shipped; SSN 536228412')).toEqual(['us_ssn:536228412']);
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

import { CheckSchema } from '@gatehouse/contracts';
import { score, type Labelled } from '../labelled.testing';
import { createPiiCheck } from './pii.check';
import { ibanValid, luhnValid, ssnValid } from './pii-detectors';

const check = createPiiCheck(CheckSchema.parse({ type: 'pii' }) as never);
const ctx = { requestId: 'r', team: 't', keyId: 'k', model: 'm' };
const detect = (text: string): string[] => {
  const v = check.evaluate({ stage: 'input', texts: [text] }, ctx);
  if (v instanceof Promise) throw new Error('pii must be synchronous');
  return [...v.details];
};

const P = (label: string, text: string): Labelled => ({ label, text });
const N = (text: string): Labelled => ({ label: null, text });

const TABLE: Labelled[] = [
  // email
  P('email', 'Contact me at john.doe@example.com tomorrow.'),
  P('email', 'send to <Maria.Garcia+billing@sub.company.co.uk>'),
  P('email', 'Email: x_y-z@corp-mail.io'),
  P('email', "o'brien@firm.ie wrote yesterday"),
  P('email', 'my address is JANE@EXAMPLE.ORG.'),
  N('Ping me on Slack @john or @team-infra'),
  N('the decorator @Injectable() is missing'),
  N('ssh into root@localhost and restart'),
  N('write to: john at example dot com'),
  N('price is 5 @ 10 dollars each'),
  // phone
  P('phone', 'Call +1 (415) 555-0132 for support'),
  P('phone', 'our London office: +44 20 7946 0958'),
  P('phone', 'Berlin +49 30 901820'),
  P('phone', 'Paris: +33 1 23 45 67 89'),
  P('phone', 'Tokyo +81 3-1234-5678 is open'),
  P('phone', 'reach me at (415) 555-0132'),
  P('phone', 'cell 415-555-0132 after 5pm'),
  P('phone', 'fax 415.555.0132'),
  P('phone', 'India mobile +91 98765 43210'),
  P('phone', 'Sydney +61 2 9876 5432'),
  N('Released version 1.2.3 on 2024-01-15'),
  N('The score was 3-1 after extra time'),
  N('add +5 points to the total'),
  N('order number 12345 shipped'),
  N('the range is 100-200-300 units'),
  N('ISBN 978-3-16-148410-0'),
  // credit cards (Luhn)
  P('credit_card', 'card 4111 1111 1111 1111 exp 12/26'),
  P('credit_card', 'Mastercard 5500 0000 0000 0004'),
  P('credit_card', 'amex 3782 822463 10005'),
  P('credit_card', 'discover 6011-1111-1111-1117'),
  P('credit_card', 'pay with 4242424242424242 please'),
  P('credit_card', 'number: 5105105105105100'),
  P('credit_card', 'the card 4012888888881881 was declined'),
  N('card 4111 1111 1111 1112 fails the checksum'),
  N('tracking 1234 5678 9012 3456 is not a card'),
  N('invoice 4111111111111112'),
  N('all zeros 0000 0000 0000 0000'),
  N('timestamp 1700000000000000 in microseconds'),
  N('the 16-digit id 9999999999999995 belongs to nothing'),
  // IBAN (mod-97)
  P('iban', 'IBAN DE89 3704 0044 0532 0130 00'),
  P('iban', 'wire to GB82 WEST 1234 5698 7654 32 today'),
  P('iban', 'FR14 2004 1010 0505 0001 3M02 606'),
  P('iban', 'account NL91ABNA0417164300'),
  P('iban', 'ES9121000418450200051332 (Spain)'),
  P('iban', 'Swiss CH9300762011623852957'),
  P('iban', 'BE68539007547034'),
  N('IBAN DE89 3704 0044 0532 0130 01 has a wrong checksum'),
  N('GB82 WEST 1234 5698 7654 33'),
  N('model DE22 is not a bank account'),
  N('ZZ12 3456 7890 1234 5678 90'),
  // US SSN
  P('us_ssn', 'SSN 123-45-6789'),
  P('us_ssn', 'social security number 536-22-1234'),
  P('us_ssn', 'ssn: 078-05-1120'),
  P('us_ssn', 'my ssn is 219 09 9999'),
  N('SSN 000-12-3456 is never issued'),
  N('666-12-3456 is not a valid area'),
  N('900-12-3456 is in the 9xx range'),
  N('123-00-4567 has a 00 group'),
  N('123-45-0000 has a 0000 serial'),
  P('phone', 'call 415-456-7890 (a phone number, not an SSN)'),
  // IP addresses
  P('ip_address', 'the server 192.168.1.10 is down'),
  P('ip_address', 'DNS 8.8.8.8.'),
  P('ip_address', 'ssh 10.0.0.1'),
  P('ip_address', 'IPv6 2001:db8::1 responds'),
  P('ip_address', 'link-local fe80::1ff:fe23:4567:890a'),
  P('ip_address', 'full 2001:0db8:85a3:0000:0000:8a2e:0370:7334'),
  N('octet out of range 999.1.1.1'),
  N('semantic version 1.2.3'),
  N('std::vector<int> v;'),
  N('meeting at 12:30:45'),
  N('OID 1.2.840.113549.1.1'),
  N('upgrade to v2.0.1 now'),
  N('Plain text with nothing personal in it at all.'),
];

describe('pii check: labelled table', () => {
  it('meets precision ≥ 0.95 and recall ≥ 0.9 over ≥ 30 rows with near misses', () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(30);
    const s = score('pii', TABLE, detect);
    expect(s.precision).toBeGreaterThanOrEqual(0.95);
    expect(s.recall).toBeGreaterThanOrEqual(0.9);
  });
});

describe('pii validators', () => {
  it('Luhn accepts test cards and rejects a changed digit', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
  });
  it('IBAN mod-97 and country length', () => {
    expect(ibanValid('DE89370400440532013000')).toBe(true);
    expect(ibanValid('DE89370400440532013001')).toBe(false);
    expect(ibanValid('DE8937040044053201300')).toBe(false);
  });
  it('SSN invalid ranges', () => {
    expect(ssnValid('123', '45', '6789')).toBe(true);
    for (const [a, g, s] of [['000', '12', '3456'], ['666', '12', '3456'], ['987', '12', '3456'], ['123', '00', '4567'], ['123', '45', '0000']]) {
      expect(ssnValid(a, g, s)).toBe(false);
    }
  });
});

describe('pii custom entities', () => {
  it('matches a custom pattern and labels it with the entity name', () => {
    const custom = createPiiCheck(CheckSchema.parse({ type: 'pii', entities: ['email'], custom: [{ name: 'employee_id', pattern: 'EMP-\\d{6}' }] }) as never);
    const v = custom.evaluate({ stage: 'input', texts: ['ask EMP-123456 about it'] }, ctx) as unknown as { details: string[]; spans: { label: string }[] };
    expect(v.details).toEqual(['employee_id']);
    expect(v.spans[0].label).toBe('EMPLOYEE_ID');
  });
  it('runs a custom pattern with nested quantifiers in linear time and refuses a backreference', () => {
    const check = createPiiCheck(CheckSchema.parse({ type: 'pii', entities: ['email'], custom: [{ name: 'runs', pattern: '(a+)+$' }] }) as never);
    const t0 = performance.now();
    check.evaluate({ stage: 'input', texts: ['a'.repeat(20_000) + '!'] }, { requestId: 'r', team: null, keyId: null, model: 'm' });
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(() => createPiiCheck(CheckSchema.parse({ type: 'pii', custom: [{ name: 'bad', pattern: '(a)\\1' }] }) as never)).toThrow(/custom\[0\]\.pattern: invalid regular expression for RE2/);
  });
});

import { counterExpiry, periodAt } from './periods';

describe('budget periods (UTC calendar)', () => {
  it('a day runs from UTC midnight to the next', () => {
    const w = periodAt('day', Date.parse('2026-11-30T23:59:59.999Z'));
    expect(w).toEqual({ id: 'd20261130', start: Date.parse('2026-11-30T00:00:00Z'), end: Date.parse('2026-12-01T00:00:00Z') });
    expect(periodAt('day', Date.parse('2026-12-01T00:00:00Z')).id).toBe('d20261201');
  });

  it('a month runs from the 1st to the 1st of the next month, across the year end', () => {
    const w = periodAt('month', Date.parse('2026-12-31T12:00:00Z'));
    expect(w).toEqual({ id: 'm202612', start: Date.parse('2026-12-01T00:00:00Z'), end: Date.parse('2027-01-01T00:00:00Z') });
    expect(periodAt('month', Date.parse('2024-02-29T10:00:00Z')).end).toBe(Date.parse('2024-03-01T00:00:00Z'));
  });

  it('total never ends and its counter never expires', () => {
    const w = periodAt('total', Date.now());
    expect(w).toEqual({ id: 'total', start: 0, end: null });
    expect(counterExpiry(w)).toBe(0);
    expect(counterExpiry(periodAt('day', Date.parse('2026-11-30T05:00:00Z')))).toBe(Date.parse('2026-12-02T00:00:00Z'));
  });
});

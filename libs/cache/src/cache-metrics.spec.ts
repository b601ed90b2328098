import { ERROR_LOG_INTERVAL_MS, StoreErrorReporter } from './cache-metrics';
import { registry } from '@gatehouse/observability';

describe('StoreErrorReporter', () => {
  it('counts every failure and logs at most one warning per interval, with the failures since the last one', async () => {
    const warn = jest.fn();
    const clock = { t: 0 };
    const r = new StoreErrorReporter('unit-store', { warn } as never, () => clock.t);
    for (let i = 0; i < 5; i++) r.report('get', new Error('ECONNREFUSED'));
    expect(warn).toHaveBeenCalledTimes(1);
    clock.t += ERROR_LOG_INTERVAL_MS;
    r.report('set', new Error('timeout'));
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[1][0]).toMatchObject({ store: 'unit-store', op: 'set', failures: 5 });
    const text = await registry.metrics();
    expect(text).toContain('gatehouse_cache_errors_total{store="unit-store",op="get"} 5');
    expect(text).toContain('gatehouse_cache_errors_total{store="unit-store",op="set"} 1');
  });
});

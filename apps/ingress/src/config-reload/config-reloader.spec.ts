import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatehouseConfigSchema } from '@gatehouse/config';
import { logger } from '@gatehouse/observability';
import { PriceBook } from '@gatehouse/pricing';
import { buildRouteTable, LiveRoutes } from '../routing/route-table';
import { UpstreamClient } from '../upstream/upstream-client';
import { ConfigReloader } from './config-reloader';

const yaml = (model: string, price: number) => `
providers:
  p: { type: mock }
models:
  ${model}: { targets: [{ provider: p, model: m }] }
pricing:
  mock/m: { input_per_mtok: ${price}, output_per_mtok: ${price} }
teams:
  t: { rpm: 10 }
`;

describe('ConfigReloader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gh-reload-'));
  const path = join(dir, 'gatehouse.yaml');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function setup() {
    writeFileSync(path, yaml('first', 1));
    const routes = new LiveRoutes(buildRouteTable(GatehouseConfigSchema.parse({ providers: { p: { type: 'mock' } }, models: { first: { targets: [{ provider: 'p', model: 'm' }] } } })));
    const prices = new PriceBook({ 'mock/m': { input_per_mtok: 1, output_per_mtok: 1 } });
    const teams: unknown[] = [];
    const reloader = new ConfigReloader(path, { routes, prices, publishTeams: (t) => teams.push(t) }, new UpstreamClient(), logger().child({ test: 'reload' }), {});
    return { routes, prices, teams, reloader };
  }

  it('swaps models, providers, prices and teams; a request holding the old table keeps it', () => {
    const { routes, prices, teams, reloader } = setup();
    const held = routes.current;
    writeFileSync(path, yaml('second', 7));
    const r = reloader.reload('test');
    expect(r).toMatchObject({ ok: true, generation: 2, models: ['second'], providers: ['p'] });
    expect(Object.keys(routes.current.models)).toEqual(['second']);
    expect(Object.keys(held.models)).toEqual(['first']);
    expect(prices.lookup('mock', 'm')?.input_per_mtok).toBe(7);
    expect(teams).toMatchObject([{ t: { rpm: 10 } }]);
  });

  it('keeps everything when the file is invalid and names the field', () => {
    const { routes, prices, teams, reloader } = setup();
    const before = routes.current;
    writeFileSync(path, yaml('second', 7).replace('provider: p', 'provider: q'));
    const r = reloader.reload('test');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toContain('models.second.targets[0].provider: unknown provider "q"');
    expect(routes.current).toBe(before);
    expect(prices.lookup('mock', 'm')?.input_per_mtok).toBe(1);
    expect(teams).toEqual([]);
  });
});

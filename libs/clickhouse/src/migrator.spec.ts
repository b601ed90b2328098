import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { GatehouseEnv } from '@gatehouse/config';
import { clickhouseHealthy, createClickHouse, type ClickHouseClient } from './client';
import { runMigrations, splitStatements, substitute } from './migrator';

const logger = pino({ level: 'silent' });

describe('splitStatements / substitute', () => {
  it('splits on ; at end of line, skips comment lines, keeps ; inside a line', () => {
    const sql = "-- header\nCREATE TABLE a (x String DEFAULT ';') ENGINE = Memory;\n\n-- next\nINSERT INTO a\nVALUES ('b');\n";
    expect(splitStatements(sql)).toEqual(["CREATE TABLE a (x String DEFAULT ';') ENGINE = Memory", "INSERT INTO a\nVALUES ('b')"]);
  });

  it('fills placeholders and rejects unknown ones or values that could break out of SQL', () => {
    expect(substitute('TTL ts + INTERVAL {{ ttl_days }} DAY ON {{database}}', { ttl_days: 30, database: 'gh' }, 'f.sql')).toBe('TTL ts + INTERVAL 30 DAY ON gh');
    expect(() => substitute('{{nope}}', {}, '009_x.sql')).toThrow(/009_x\.sql.*\{\{nope\}\}/);
    expect(() => substitute('{{v}}', { v: "1'; DROP TABLE x" }, 'f.sql')).toThrow(/not allowed/);
  });
});

describe('runMigrations on chDB', () => {
  let root: string;
  let client: ClickHouseClient;
  const env = (dataDir: string) => ({ GATEHOUSE_DATA_DIR: dataDir, CLICKHOUSE_DATABASE: 'gh_test' }) as GatehouseEnv;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'gh-migrator-'));
    client = await createClickHouse(env(join(root, 'data')), logger);
  });

  afterAll(async () => {
    await client.close();
    rmSync(root, { recursive: true, force: true });
  });

  function migrations(files: Record<string, string>): string {
    const dir = mkdtempSync(join(root, 'm-'));
    mkdirSync(dir, { recursive: true });
    for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
    return dir;
  }

  it('applies files in order, once, with placeholders filled, and records them', async () => {
    const dir = migrations({
      '002_fill.sql': "INSERT INTO {{database}}.items (id, label) VALUES (1, 'one');\nINSERT INTO {{database}}.items (id, label) VALUES (2, '{{label}}');\n",
      '001_items.sql': '-- items\nCREATE TABLE IF NOT EXISTS {{database}}.items\n(\n  id UInt32,\n  label String,\n  ts DateTime DEFAULT now()\n)\nENGINE = MergeTree ORDER BY id\nTTL ts + INTERVAL {{ttl_days}} DAY;\n',
      'README.md': 'not a migration',
    });
    const opts = { database: 'gh_test', dir, vars: { ttl_days: 7, label: 'two' }, logger };
    await expect(runMigrations(client, opts)).resolves.toEqual(['001_items.sql', '002_fill.sql']);
    const rows = await (await client.query({ query: 'SELECT id, label FROM items ORDER BY id', format: 'JSONEachRow' })).json();
    expect(rows).toEqual([{ id: 1, label: 'one' }, { id: 2, label: 'two' }]);

    await expect(runMigrations(client, opts)).resolves.toEqual([]);
    const again = await (await client.query({ query: 'SELECT count() AS n FROM gh_test.items', format: 'JSONEachRow' })).json<{ n: string }>();
    expect(Number(again[0]!.n)).toBe(2);

    writeFileSync(join(dir, '003_more.sql'), "INSERT INTO {{database}}.items (id, label) VALUES (3, 'three');\n");
    await expect(runMigrations(client, opts)).resolves.toEqual(['003_more.sql']);
    const recorded = await (await client.query({ query: 'SELECT name FROM gh_test.schema_migrations ORDER BY name', format: 'JSONEachRow' })).json<{ name: string }>();
    expect(recorded.map((r) => r.name)).toEqual(['001_items.sql', '002_fill.sql', '003_more.sql']);
  });

  it('refuses to run when an applied migration was edited, naming the file', async () => {
    const dir = migrations({ '001_t.sql': 'CREATE TABLE IF NOT EXISTS {{database}}.edited (x UInt8) ENGINE = Memory;\n' });
    await runMigrations(client, { database: 'gh_edit', dir });
    writeFileSync(join(dir, '001_t.sql'), 'CREATE TABLE IF NOT EXISTS {{database}}.edited (x UInt16) ENGINE = Memory;\n');
    await expect(runMigrations(client, { database: 'gh_edit', dir })).rejects.toThrow(/001_t\.sql was changed/);
  });

  it('stops at a failing statement, names it, and does not record the migration', async () => {
    const dir = migrations({ '001_bad.sql': 'CREATE TABLE IF NOT EXISTS {{database}}.ok (x UInt8) ENGINE = Memory;\nSELEC broken;\n' });
    await expect(runMigrations(client, { database: 'gh_bad', dir })).rejects.toThrow(/001_bad\.sql, statement 2 of 2/);
    const recorded = await (await client.query({ query: 'SELECT count() AS n FROM gh_bad.schema_migrations', format: 'JSONEachRow' })).json<{ n: string }>();
    expect(Number(recorded[0]!.n)).toBe(0);
  });

  it('rejects an unknown placeholder before running anything of that file', async () => {
    const dir = migrations({ '001_p.sql': 'CREATE TABLE {{database}}.p (x UInt8) ENGINE = Memory;\nSELECT {{missing}};\n' });
    await expect(runMigrations(client, { database: 'gh_ph', dir })).rejects.toThrow(/unknown placeholder \{\{missing\}\}/);
    const tables = await (await client.query({ query: "SELECT name FROM system.tables WHERE database = 'gh_ph' AND name = 'p'", format: 'JSONEachRow' })).json();
    expect(tables).toEqual([]);
  });

  it('the chDB client answers health checks and resolves unqualified names in CLICKHOUSE_DATABASE', async () => {
    await expect(clickhouseHealthy(client)).resolves.toBe(true);
    const db = await (await client.query({ query: 'SELECT currentDatabase() AS d', format: 'JSONEachRow' })).json<{ d: string }>();
    expect(db[0]!.d).toBe('gh_test');
  });
});

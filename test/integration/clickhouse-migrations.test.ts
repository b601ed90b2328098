import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { parseEnv } from '@gatehouse/config';
import { CHDB_SERVER_ARGS, chdbDataDir, clickhouseHealthy, createClickHouse, type ClickHouseClient } from '@gatehouse/clickhouse/client';
import { runMigrations } from '@gatehouse/clickhouse';

const logger = pino({ level: 'silent' });
const MIGRATIONS = resolve(__dirname, '../../libs/clickhouse/src/migrations');
const database = `gh_it_${process.pid}`;

/** chDB always; a ClickHouse server too when CLICKHOUSE_URL points at one. */
const targets: [string, () => Record<string, string>][] = [['chDB', () => ({})]];
if (process.env.CLICKHOUSE_URL) targets.push(['ClickHouse server', () => ({ CLICKHOUSE_URL: process.env.CLICKHOUSE_URL! })]);

describe.each(targets)('the product migrations on %s', (name, extraEnv) => {
  let dataDir: string;
  let client: ClickHouseClient;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'gh-ch-it-'));
    const env = parseEnv({ ...extraEnv(), GATEHOUSE_DATA_DIR: dataDir, CLICKHOUSE_DATABASE: database });
    client = await createClickHouse(env, logger);
  });

  afterAll(async () => {
    if (process.env.CLICKHOUSE_URL && extraEnv().CLICKHOUSE_URL) await client.command({ query: `DROP DATABASE IF EXISTS ${database}` });
    await client.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('apply every file once, create the traces and verdicts tables, and are a no-op when re-run', async () => {
    const applied = await runMigrations(client, { database, dir: MIGRATIONS, vars: { ttl_days: 30 }, logger });
    expect(applied.length).toBeGreaterThan(0);
    expect(applied).toEqual([...applied].sort());
    const tables = await (await client.query({
      query: `SELECT name, engine FROM system.tables WHERE database = {db:String}`,
      query_params: { db: database },
      format: 'JSONEachRow',
    })).json<{ name: string; engine: string }>();
    const names = tables.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['schema_migrations', 'traces', 'verdicts']));
    expect(tables.find((t) => t.name === 'traces')!.engine).toMatch(/Replacing/);
    await expect(runMigrations(client, { database, dir: MIGRATIONS, vars: { ttl_days: 30 }, logger })).resolves.toEqual([]);
    await expect(clickhouseHealthy(client)).resolves.toBe(true);
  });

  if (name === 'chDB') {
    it('starts the embedded engine with its server settings: merged-away parts are removed by two threads, not a burst of up to 128', async () => {
      expect(CHDB_SERVER_ARGS).toContain('--max_parts_cleaning_thread_pool_size=2');
      const rows = await (await client.query({
        query: "SELECT name, value, changed FROM system.server_settings WHERE name = 'max_parts_cleaning_thread_pool_size'",
        format: 'JSONEachRow',
      })).json<{ name: string; value: string; changed: number }>();
      expect(rows).toEqual([{ name: 'max_parts_cleaning_thread_pool_size', value: '2', changed: 1 }]);
    });
  }
});

describe('chDB data directory lock', () => {
  let dataDir: string;
  let holder: ChildProcess | undefined;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'gh-ch-lock-'));
  });

  afterAll(() => {
    holder?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a second process opening the same directory fails with a message naming it', async () => {
    const env = parseEnv({ GATEHOUSE_DATA_DIR: dataDir });
    const dir = chdbDataDir(env);
    const script = `
      require('node:fs').mkdirSync(${JSON.stringify(dir)}, { recursive: true });
      const { createChdbConnection } = require('chdb/connection');
      createChdbConnection({ path: ${JSON.stringify(dir)} });
      process.stdout.write('open\\n');
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['-e', script], { cwd: resolve(__dirname, '../..'), stdio: ['ignore', 'pipe', 'pipe'] });
    holder = child;
    await new Promise<void>((res, rej) => {
      child.stdout!.on('data', (d: Buffer) => d.toString().includes('open') && res());
      child.on('exit', (code) => rej(new Error(`lock holder exited with ${code}`)));
    });
    await expect(createClickHouse(env, logger)).rejects.toThrow(dir);
  });
});

import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';

const { startClickHouseHttp } = require('../support/services/clickhouse-http') as {
  startClickHouseHttp: () => Promise<{ url: string; stop(): Promise<void>; close(): Promise<void>; open(): Promise<void> }>;
};

/**
 * The ClickHouse HTTP endpoint the fault suite runs analytics against (chDB behind the HTTP
 * interface subset @clickhouse/client uses): what the official client does against it, and the
 * outage it can simulate.
 */
describe('ClickHouse HTTP endpoint for tests', () => {
  let server: Awaited<ReturnType<typeof startClickHouseHttp>>;
  let client: ClickHouseClient;

  beforeAll(async () => {
    server = await startClickHouseHttp();
    const boot = createClient({ url: server.url, database: 'default' });
    await boot.command({ query: 'CREATE DATABASE IF NOT EXISTS endpoint_test' });
    await boot.close();
    client = createClient({ url: server.url, database: 'endpoint_test', log: { level: ClickHouseLogLevel.OFF } });
    await client.command({ query: "CREATE TABLE t (id String, ts DateTime64(3, 'UTC'), n UInt32) ENGINE = MergeTree ORDER BY id" });
  }, 60_000);

  afterAll(async () => {
    await client?.close();
    await server?.stop();
  });

  it('answers ping, stores an insert, and binds query parameters into the current database', async () => {
    expect((await client.ping()).success).toBe(true);
    await client.insert({
      table: 'endpoint_test.t',
      columns: ['id', 'ts', 'n'],
      values: [['a', '2026-11-30 10:00:00.000', 1], ['b', '2026-11-30 10:00:01.000', 2]],
      format: 'JSONCompactEachRow',
    });
    const rows = await client.query({
      query: "SELECT id, n FROM t WHERE ts BETWEEN {lo:DateTime64(3, 'UTC')} AND {hi:DateTime64(3, 'UTC')} AND id IN {ids:Array(String)}",
      query_params: { lo: '2026-11-30 09:00:00.000', hi: '2026-11-30 11:00:00.000', ids: ['a', 'x'] },
      format: 'JSONEachRow',
    });
    expect(await rows.json()).toEqual([{ id: 'a', n: 1 }]);
  });

  it('reports a failing statement as a ClickHouse error with its code', async () => {
    await expect(client.query({ query: 'SELECT nope FROM t', format: 'JSONEachRow' })).rejects.toMatchObject({ code: '47', type: 'UNKNOWN_IDENTIFIER' });
  });

  it('refuses connections while closed and serves the same data once open again', async () => {
    await server.close();
    await expect(client.query({ query: 'SELECT 1', format: 'JSONEachRow' })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await server.open();
    const count = await client.query({ query: 'SELECT toUInt32(count()) AS c FROM t', format: 'JSONEachRow' });
    expect(await count.json()).toEqual([{ c: 2 }]);
  });
});

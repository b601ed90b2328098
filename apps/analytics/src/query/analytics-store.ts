import { Inject, Injectable } from '@nestjs/common';
import type { ClickHouseClient } from '@clickhouse/client';
import { CLICKHOUSE, RUNTIME, type Runtime } from '@gatehouse/runtime';
import type { BuiltQuery } from './where';

/** Runs built queries (SQL with {name:Type} placeholders + bound values) against the analytics database. */
@Injectable()
export class AnalyticsStore {
  readonly database: string;

  constructor(
    @Inject(CLICKHOUSE) private readonly client: ClickHouseClient | null,
    @Inject(RUNTIME) runtime: Runtime,
  ) {
    this.database = runtime.env.CLICKHOUSE_DATABASE;
  }

  get clickhouse(): ClickHouseClient {
    if (!this.client) throw new Error('the analytics module needs a ClickHouse client (runtime.clickhouse is null in this process)');
    return this.client;
  }

  async rows<T>(q: BuiltQuery): Promise<T[]> {
    const res = await this.clickhouse.query({
      query: q.sql,
      query_params: q.params,
      format: 'JSONEachRow',
      clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
    });
    return res.json<T>();
  }
}

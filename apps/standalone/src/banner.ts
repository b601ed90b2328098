import { join } from 'node:path';
import { ADMIN_TOKEN_FILE, listenHost, type Runtime } from '@gatehouse/runtime';

/** The well-known key of the bundled example config (its SHA-256 is in gatehouse.example.yaml). */
export const EXAMPLE_DEV_KEY = 'gh-dev-insecure-example-key';

export function printBanner(runtime: Runtime, usingExample: boolean, workers: number): void {
  const port = runtime.env.PORT ?? 8080;
  const base = `http://127.0.0.1:${port}`;
  const lines = [
    '',
    `Gatehouse standalone is listening on ${base}   (bound to ${listenHost('standalone', runtime.env)}; HOST changes it)`,
    `  config:       ${runtime.configSource}`,
    `  data dir:     ${runtime.env.GATEHOUSE_DATA_DIR}`,
    `  bus:          ${runtime.env.KAFKA_BROKERS ? `kafka ${runtime.env.KAFKA_BROKERS}` : 'in-process (persisted under the data dir)'}`,
    `  analytics:    ${runtime.env.CLICKHOUSE_URL ? runtime.env.CLICKHOUSE_URL : 'chDB (embedded ClickHouse)'}`,
    `  processes:    ${workers > 1 ? `${workers} HTTP workers + 1 primary (bus, analytics, guard); GATEHOUSE_WORKERS=${workers}` : '1 (GATEHOUSE_WORKERS=1)'}`,
  ];
  if (!runtime.env.GATEHOUSE_ADMIN_TOKEN) lines.push(`  admin token:  ${runtime.adminToken}   (generated once, kept in ${join(runtime.env.GATEHOUSE_DATA_DIR, ADMIN_TOKEN_FILE)}; GATEHOUSE_ADMIN_TOKEN overrides it)`);
  lines.push(`  console:      ${base}/console   (sign in with the admin token)`);
  if (usingExample) {
    lines.push(
      `  dev key:      ${EXAMPLE_DEV_KEY}   (from the bundled example config; not for production)`,
      '',
      'Try it:',
      `  curl ${base}/v1/chat/completions -H "Authorization: Bearer ${EXAMPLE_DEV_KEY}" \\`,
      `    -H "content-type: application/json" -d '{"model":"gpt-5-mini","messages":[{"role":"user","content":"Hello"}]}'`,
      `  then: curl ${base}/analytics/traces/<x-gatehouse-request-id> -H "Authorization: Bearer <admin token>"`,
    );
  }
  process.stdout.write(lines.join('\n') + '\n\n');
}

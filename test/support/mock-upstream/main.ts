import { startMockUpstream } from './server';

/** `node dist/test/support/mock-upstream/main.js --port 9999 [--host 127.0.0.1] [--no-record]` */
function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const port = Number(arg('port') ?? process.env.MOCK_UPSTREAM_PORT ?? 9999);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, got ${arg('port')}`);
  const mock = await startMockUpstream({ port, host: arg('host') ?? '127.0.0.1', record: !process.argv.includes('--no-record') });
  process.stdout.write(`mock upstream listening on ${mock.url}\n`);
  const stop = (): void => {
    void mock.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`mock upstream failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A webhook test double on 127.0.0.1: `/classify` fails texts containing "forbidden" (score 0.9,
 * reason "forbidden word"), `/slow` answers after 1 s, `/500` answers HTTP 500, `/bad-json` a
 * non-JSON body, `/bad-shape` JSON without `pass`. Every received body is kept in `received`.
 */
export async function startWebhookServer(): Promise<{ url: string; received: unknown[]; close: () => Promise<void> }> {
  const received: unknown[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const parsed = JSON.parse(body) as { text: string };
      received.push({ ...parsed, headers: { auth: req.headers['x-hook-auth'] ?? null } });
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      switch (req.url) {
        case '/classify':
          return json(200, parsed.text.includes('forbidden') ? { pass: false, score: 0.9, reason: 'forbidden word' } : { pass: true, score: 0.1 });
        case '/slow':
          return void setTimeout(() => json(200, { pass: true }), 1000);
        case '/500':
          return json(500, { error: 'boom' });
        case '/bad-json':
          res.writeHead(200);
          return void res.end('not json');
        default:
          return json(200, { ok: true });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

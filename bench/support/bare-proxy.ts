import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';

/**
 * The physical limit for a Node proxy here: node:http in, undici Pool out, bodies streamed both
 * ways, no parsing, no auth, no tracing. Hop-by-hop headers are dropped, everything else is copied.
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host']);

function forwardable(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  return out;
}

export interface BareProxy {
  url: string;
  close(): Promise<void>;
}

export async function startBareProxy(upstream: string, port: number, connections: number): Promise<BareProxy> {
  const pool = new Pool(upstream, { connections, keepAliveTimeout: 30_000, pipelining: 1 });
  const server: Server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    pool
      .request({ path: req.url ?? '/', method: req.method as 'POST', headers: forwardable(req.headers), body: req.method === 'GET' ? undefined : req })
      .then(async (up) => {
        res.writeHead(up.statusCode, forwardable(up.headers));
        for await (const chunk of up.body) res.write(chunk);
        res.end();
      })
      .catch(() => {
        if (!res.headersSent) res.writeHead(502).end();
        else res.destroy();
      });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.close();
    },
  };
}

/** `node dist/bench/support/bare-proxy.js --upstream http://127.0.0.1:9999 --port 0 --connections 512` */
if (require.main === module) {
  const arg = (name: string, dflt: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : dflt;
  };
  startBareProxy(arg('upstream', 'http://127.0.0.1:9999'), Number(arg('port', '0')), Number(arg('connections', '512')))
    .then((p) => {
      process.stdout.write(`bare proxy listening on ${p.url}\n`);
      process.once('SIGTERM', () => void p.close().then(() => process.exit(0)));
    })
    .catch((e: unknown) => {
      process.stderr.write(`bare proxy failed: ${String(e)}\n`);
      process.exit(1);
    });
}

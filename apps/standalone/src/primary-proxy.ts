import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { Pool } from 'undici';
import type { Logger } from '@gatehouse/observability';
import type { ReadinessResult } from '@gatehouse/runtime';
import { isWrite } from './write-barrier';

/** Headers that describe one connection, not the message (RFC 9110 §7.6.1), plus ones undici sets itself. */
const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization',
  'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'expect',
]);

function endToEnd(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const listed = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  );
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || listed.has(name)) continue;
    out[name] = value;
  }
  return out;
}

function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/**
 * Forwards the requests a standalone worker does not serve itself to the primary's internal port:
 * bodies stream both ways, status and end-to-end headers are kept, hop-by-hop headers are dropped.
 */
export class PrimaryProxy {
  private readonly pool: Pool;

  /** barrier: awaited before answering a successful write, so its effect is visible on every worker (policies). */
  constructor(
    private readonly origin: string,
    private readonly log: Logger,
    private readonly barrier: () => Promise<void> = async () => undefined,
  ) {
    this.pool = new Pool(origin, { connections: 64, headersTimeout: 300_000, bodyTimeout: 300_000 });
  }

  forward(req: IncomingMessage, res: ServerResponse): void {
    void this.run(req, res);
  }

  private async run(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const abort = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const headers = endToEnd(req.headers);
    const forwardedFor = req.socket.remoteAddress;
    if (forwardedFor) headers['x-forwarded-for'] = [req.headers['x-forwarded-for'], forwardedFor].filter(Boolean).join(', ');
    if (req.headers.host) headers['x-forwarded-host'] = req.headers.host;
    headers['x-forwarded-proto'] = 'http';
    let upstream;
    try {
      upstream = await this.pool.request({
        path: req.url ?? '/',
        method: (req.method ?? 'GET') as 'GET',
        headers,
        body: hasBody(req) ? req : undefined,
        signal: abort.signal,
      });
    } catch (e) {
      if (abort.signal.aborted) return;
      this.log.error({ err: (e as Error).message, path: req.url?.split('?')[0] }, 'standalone worker: primary did not answer');
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'the analytics process of this standalone gateway did not answer', type: 'api_error', code: 'primary_unavailable', param: null } }));
      } else {
        res.destroy();
      }
      return;
    }
    if (isWrite(req.method) && upstream.statusCode < 400) await this.barrier();
    res.writeHead(upstream.statusCode, endToEnd(upstream.headers) as OutgoingHttpHeaders);
    try {
      await pipeline(upstream.body, res);
    } catch {
      res.destroy();
    }
  }

  /** The primary's own /readyz (chDB, consumers, policies) as a readiness check of this worker. */
  async readiness(timeoutMs = 1500): Promise<ReadinessResult> {
    try {
      const r = await this.pool.request({ path: '/readyz', method: 'GET', signal: AbortSignal.timeout(timeoutMs) });
      const body = await r.body.text();
      return { ok: r.statusCode === 200, detail: r.statusCode === 200 ? { status: r.statusCode } : { status: r.statusCode, body: safeJson(body) } };
    } catch (e) {
      return { ok: false, detail: `primary ${this.origin} did not answer: ${(e as Error).message}` };
    }
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text.slice(0, 200);
  }
}

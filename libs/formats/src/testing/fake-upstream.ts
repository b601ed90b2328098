import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake server answers: status, content type and the exact bytes. */
export interface CannedReply {
  status?: number;
  contentType: string;
  body: string;
}

export interface FakeUpstream {
  url: string;
  /** Parsed JSON bodies of the requests received, in order. */
  requests: unknown[];
  close(): Promise<void>;
}

/**
 * A tiny HTTP server on 127.0.0.1 (ephemeral port) that returns canned bytes, so the official
 * SDKs can be pointed at it to check they parse the codecs' output (test support only).
 */
export async function startFakeUpstream(reply: (body: unknown) => CannedReply): Promise<FakeUpstream> {
  const requests: unknown[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const body: unknown = text ? JSON.parse(text) : undefined;
      requests.push(body);
      const out = reply(body);
      res.writeHead(out.status ?? 200, { 'content-type': out.contentType });
      res.end(out.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

import type { IncomingMessage } from 'node:http';
import { GatewayError, invalidRequest } from '@gatehouse/contracts';

/** Reads the request body up to `limit` bytes: 413 beyond it, 499 when the client leaves before its end. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
    // The client went away before the body was complete: its error, not ours (traced 499, not logged as an error).
    req.on('error', () => reject(clientClosed()));
    req.on('close', () => {
      if (!req.complete) reject(clientClosed());
    });
  });
}

const clientClosed = () => new GatewayError(499, 'client_closed', 'the client closed the connection before the request body was complete');

const tooLarge = (limit: number) =>
  new GatewayError(413, 'request_too_large', `request body exceeds the limit of ${limit} bytes (limits.max_body_bytes)`);

export function parseJsonBody(buf: Buffer): unknown {
  if (buf.length === 0) throw invalidRequest('request body is empty: expected a JSON object');
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch (e) {
    throw invalidRequest(`request body is not valid JSON: ${(e as Error).message}`);
  }
}

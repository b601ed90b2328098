import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/** Why Node's HTTP parser refused a request, in words a client can act on. */
const REASONS = new Map<string, string>(Object.entries({
  HPE_HEADER_OVERFLOW: 'request headers are larger than the 16 KB the gateway accepts',
  HPE_UNEXPECTED_CONTENT_LENGTH: 'Content-Length and Transfer-Encoding together, or Content-Length sent twice',
  HPE_INVALID_TRANSFER_ENCODING: 'invalid Transfer-Encoding',
  HPE_INVALID_CONTENT_LENGTH: 'invalid or repeated Content-Length',
  HPE_INVALID_HEADER_TOKEN: 'invalid character in a header name or value',
  HPE_LF_EXPECTED: 'a header line is not terminated by CRLF (bare CR)',
  HPE_CR_EXPECTED: 'a header line is not terminated by CRLF',
  HPE_INVALID_METHOD: 'invalid HTTP method',
  HPE_INVALID_URL: 'invalid request target',
  HPE_INVALID_VERSION: 'invalid HTTP version',
  HPE_INVALID_CHUNK_SIZE: 'invalid chunk size',
  HPE_INVALID_CONSTANT: 'malformed request line',
}));

/**
 * Answers a request Node's HTTP parser refused (request smuggling shapes such as CL+TE or a doubled
 * Content-Length, a CR or NUL in a header, headers over 16 KB) with an OpenAI-style JSON error, as
 * every other gateway error, instead of Fastify's `{"error":"Bad Request"}` or a bare reset. The
 * connection is closed after the answer: the parser state is unknown.
 */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const code = err.code ?? 'bad_request';
  const status = code === 'HPE_HEADER_OVERFLOW' ? 431 : code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const reason = REASONS.get(code) ?? (status === 408 ? 'the request was not received in time' : 'malformed HTTP request');
  const body = JSON.stringify({ error: { message: `${reason} (${code})`, type: 'invalid_request_error', code: code.toLowerCase(), param: null } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

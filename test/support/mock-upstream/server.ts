import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BehaviourSchema, type Behaviour, type RecordedRequest } from './behaviour';
import { planAnswer } from './plan';
import { anthropicFormat } from './formats/anthropic';
import { bedrockFormat } from './formats/bedrock';
import { bedrockInvokeFormat, invokeBodyProblem } from './formats/bedrock-invoke';
import { geminiBatchEmbeddings, modelsList, openAIEmbeddings } from './formats/embeddings';
import type { Frame, RouteInfo, WireFormat } from './formats/format';
import { geminiArrayFormat, geminiError, geminiSseFormat } from './formats/gemini';
import { openAIError, openAIFormat } from './formats/openai';
import { openAIResponsesFormat } from './formats/openai-responses';
import { geminiTokenCount, tokenGrant, VERTEX, vertexAnthropicBodyProblem, vertexUnauthenticated, type TokenGrant } from './formats/vertex';

export type { Behaviour, RecordedRequest } from './behaviour';

export interface MockUpstreamOptions {
  port?: number;
  host?: string;
  /** Keep a copy of every request (default true); benchmarks may turn it off. */
  record?: boolean;
  /** Oldest recorded requests are dropped beyond this many (default 10 000). */
  maxRecorded?: number;
}

export interface MockUpstream {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Access tokens granted at POST /token (Vertex AI service-account exchange), oldest first. */
  tokenGrants: TokenGrant[];
  enqueue(b: Behaviour): void;
  setDefault(b: Behaviour): void;
  reset(): void;
  close(): Promise<void>;
}

type ErrorOf = (s: number, m: string) => { headers: Record<string, string>; body: string };
/** `vertex`: the route needs a bearer token granted by POST /token; `check` names what the body must not carry. */
interface RouteRules {
  vertex?: boolean;
  check?: (body: Record<string, unknown>) => string | null;
}
type Handler =
  | ({ kind: 'chat'; format: WireFormat; route: RouteInfo } & RouteRules)
  | ({ kind: 'json'; status: number; body: (body: Record<string, unknown>) => string; error: ErrorOf } & RouteRules);

const GEMINI = /^\/(?:v1beta|v1)\/models\/([^/:]+):(generateContent|streamGenerateContent|batchEmbedContents|countTokens)$/;
const BEDROCK = /^\/model\/([^/]+)\/(converse|converse-stream|invoke|invoke-with-response-stream)$/;
const AZURE = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|embeddings)$/;

function route(method: string, path: string, query: Record<string, string>, headers: IncomingMessage['headers']): Handler | null {
  if (method === 'POST' && (path === '/v1/chat/completions' || path === '/chat/completions')) {
    return { kind: 'chat', format: openAIFormat, route: { model: null, stream: false, query } };
  }
  if (method === 'POST' && (path === '/v1/responses' || path === '/responses')) {
    return { kind: 'chat', format: openAIResponsesFormat, route: { model: null, stream: false, query } };
  }
  if (method === 'POST' && (path === '/v1/messages' || path === '/messages')) {
    return { kind: 'chat', format: anthropicFormat, route: { model: null, stream: false, query } };
  }
  if (method === 'POST' && path === '/v1/messages/count_tokens') {
    return { kind: 'json', status: 200, body: anthropicTokenCount, error: anthropicFormat.error };
  }
  if (method === 'POST' && (path === '/v1/embeddings' || path === '/embeddings')) {
    return { kind: 'json', status: 200, body: openAIEmbeddings, error: openAIError };
  }
  if (method === 'GET' && (path === '/v1/models' || path === '/models')) {
    const anthropic = headers['anthropic-version'] !== undefined;
    return { kind: 'json', status: 200, body: () => modelsList(anthropic), error: anthropic ? anthropicFormat.error : openAIError };
  }
  if (method !== 'POST') return null;
  let m = AZURE.exec(path);
  if (m) {
    const deployment = decodeURIComponent(m[1]);
    if (m[2] === 'embeddings') return { kind: 'json', status: 200, body: (b) => openAIEmbeddings({ model: deployment, ...b }), error: openAIError };
    return { kind: 'chat', format: openAIFormat, route: { model: deployment, stream: false, query } };
  }
  m = GEMINI.exec(path);
  if (m) {
    const model = decodeURIComponent(m[1]);
    if (m[2] === 'batchEmbedContents') return { kind: 'json', status: 200, body: geminiBatchEmbeddings, error: geminiError };
    if (m[2] === 'countTokens') return { kind: 'json', status: 200, body: geminiTokenCount, error: geminiError };
    const stream = m[2] === 'streamGenerateContent';
    return { kind: 'chat', format: stream && query.alt !== 'sse' ? geminiArrayFormat : geminiSseFormat, route: { model, stream, query } };
  }
  m = VERTEX.exec(path);
  if (m) return vertexRoute(decodeURIComponent(m[3]), decodeURIComponent(m[4]), m[5], query);
  m = BEDROCK.exec(path);
  if (m && (m[2] === 'invoke' || m[2] === 'invoke-with-response-stream')) {
    return { kind: 'chat', format: bedrockInvokeFormat, route: { model: decodeURIComponent(m[1]), stream: m[2] !== 'invoke', query }, check: invokeBodyProblem };
  }
  if (m) return { kind: 'chat', format: bedrockFormat, route: { model: decodeURIComponent(m[1]), stream: m[2] === 'converse-stream', query } };
  return null;
}

/** Vertex AI: Gemini models in the Gemini format, Claude models in Anthropic's (rawPredict), all behind a bearer token. */
function vertexRoute(publisher: string, model: string, method: string, query: Record<string, string>): Handler | null {
  if (publisher === 'google') {
    if (method === 'countTokens') return { kind: 'json', status: 200, body: geminiTokenCount, error: geminiError, vertex: true };
    if (method !== 'generateContent' && method !== 'streamGenerateContent') return null;
    const stream = method === 'streamGenerateContent';
    return { kind: 'chat', format: stream && query.alt !== 'sse' ? geminiArrayFormat : geminiSseFormat, route: { model, stream, query }, vertex: true };
  }
  if (model === 'count-tokens' && method === 'rawPredict') return { kind: 'json', status: 200, body: anthropicTokenCount, error: anthropicFormat.error, vertex: true };
  if (method !== 'rawPredict' && method !== 'streamRawPredict') return null;
  return { kind: 'chat', format: anthropicFormat, route: { model, stream: method === 'streamRawPredict', query }, vertex: true, check: vertexAnthropicBodyProblem };
}

/** Anthropic count_tokens: one token per 4 characters of the counted fields (what tests compute too). */
const anthropicTokenCount = (b: Record<string, unknown>): string =>
  JSON.stringify({ input_tokens: Math.ceil(JSON.stringify([b.system ?? null, b.messages ?? null, b.tools ?? null]).length / 4) });

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function parseQuery(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw === '') return out;
  for (const [k, v] of new URLSearchParams(raw)) out[k] = v;
  return out;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(raw: string): unknown {
  if (raw === '') return null;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

const bearer = (header: string | undefined): string => (header?.startsWith('Bearer ') ? header.slice(7) : '');

const asObject = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

function lowerHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

const alive = (res: ServerResponse): boolean => !res.destroyed && !res.writableEnded;

export async function startMockUpstream(opts: MockUpstreamOptions = {}): Promise<MockUpstream> {
  const host = opts.host ?? '127.0.0.1';
  const record = opts.record ?? true;
  const maxRecorded = opts.maxRecorded ?? 10_000;
  const requests: RecordedRequest[] = [];
  const queue: Behaviour[] = [];
  let fallback: Behaviour = {};
  /** Granted access tokens stay valid across reset() (a gateway keeps its token between tests). */
  const tokens = new Set<string>();
  const tokenGrants: TokenGrant[] = [];

  const remember = (r: RecordedRequest): void => {
    requests.push(r);
    if (requests.length > maxRecorded) requests.splice(0, requests.length - maxRecorded);
  };

  const sendJson = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }): void => {
    res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };

  const control = (method: string, path: string, body: unknown, res: ServerResponse): boolean => {
    if (!path.startsWith('/_mock/')) return false;
    if (path === '/_mock/behaviours' && method === 'POST') {
      const parsed = BehaviourSchema.array().safeParse(Array.isArray(body) ? body : [body]);
      if (!parsed.success) sendJson(res, 400, JSON.stringify({ error: parsed.error.message }));
      else {
        queue.push(...parsed.data);
        sendJson(res, 200, JSON.stringify({ queued: queue.length }));
      }
    } else if (path === '/_mock/behaviours' && method === 'DELETE') {
      queue.length = 0;
      sendJson(res, 200, JSON.stringify({ queued: 0 }));
    } else if (path === '/_mock/default' && method === 'PUT') {
      const parsed = BehaviourSchema.safeParse(body ?? {});
      if (!parsed.success) sendJson(res, 400, JSON.stringify({ error: parsed.error.message }));
      else {
        fallback = parsed.data;
        sendJson(res, 200, JSON.stringify({ default: fallback }));
      }
    } else if (path === '/_mock/requests' && method === 'GET') {
      sendJson(res, 200, JSON.stringify(requests));
    } else if (path === '/_mock/requests' && method === 'DELETE') {
      requests.length = 0;
      sendJson(res, 200, JSON.stringify({ requests: 0 }));
    } else if (path === '/_mock/reset' && method === 'POST') {
      resetAll();
      sendJson(res, 200, JSON.stringify({ reset: true }));
    } else {
      sendJson(res, 404, JSON.stringify({ error: `no control endpoint ${method} ${path}` }));
    }
    return true;
  };

  const resetAll = (): void => {
    requests.length = 0;
    queue.length = 0;
    fallback = {};
  };

  /** Writes headers, then the frames with the behaviour's delays, resets and hangs. */
  const deliver = async (res: ServerResponse, status: number, headers: Record<string, string>, frames: Frame[], b: Behaviour): Promise<void> => {
    const paced = (b.ttfb_ms ?? 0) > 0 || (b.chunk_delay_ms ?? 0) > 0 || b.reset_after_chunks !== undefined || b.stall_after_chunks !== undefined;
    if (!paced) {
      const body = frames.length === 1 ? frames[0] : typeof frames[0] === 'string' ? frames.join('') : Buffer.concat(frames.map((f) => Buffer.from(f)));
      res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    res.writeHead(status, headers);
    res.flushHeaders();
    if (b.ttfb_ms) await sleep(b.ttfb_ms);
    for (let i = 0; i < frames.length; i++) {
      if (!alive(res)) return;
      if (b.reset_after_chunks !== undefined && i >= b.reset_after_chunks) {
        res.socket?.destroy();
        return;
      }
      if (b.stall_after_chunks !== undefined && i >= b.stall_after_chunks) return;
      if (i > 0 && b.chunk_delay_ms) await sleep(b.chunk_delay_ms);
      if (!alive(res)) return;
      res.write(frames[i]);
    }
    if (alive(res)) res.end();
  };

  const answer = async (req: IncomingMessage, res: ServerResponse, handler: Handler, body: unknown, b: Behaviour): Promise<void> => {
    if (b.latency_ms) await sleep(b.latency_ms);
    if (b.hang) return;
    if (b.reset) {
      req.socket.destroy();
      return;
    }
    const errorOf = handler.kind === 'chat' ? handler.format.error : handler.error;
    const status = b.status !== undefined && (b.fail_ratio === undefined || Math.random() < b.fail_ratio) ? b.status : 200;
    if (status >= 400) {
      const reply = errorOf(status, b.error_message ?? `mock upstream error ${status}`);
      const retryAfter = b.retry_after ?? (status === 429 ? 1 : undefined);
      const headers = retryAfter === undefined ? reply.headers : { ...reply.headers, 'retry-after': String(retryAfter) };
      await deliver(res, status, headers, [reply.body], { ...b, reset_after_chunks: undefined, stall_after_chunks: undefined });
      return;
    }
    const obj = asObject(body);
    if (handler.kind === 'json') {
      const text = handler.body(obj);
      await deliver(res, status, { 'content-type': 'application/json' }, jsonFrames(text, b), b);
      return;
    }
    const view = handler.format.view(obj, handler.route);
    const plan = planAnswer(view, b);
    const stream = handler.route.stream || view.stream;
    if (stream) {
      const headers: Record<string, string> = { 'content-type': handler.format.streamContentType, 'cache-control': 'no-cache', 'x-request-id': `req_mock_${Date.now()}` };
      await deliver(res, status, headers, handler.format.stream(plan, view), b);
    } else {
      await deliver(res, status, { 'content-type': 'application/json', 'x-request-id': `req_mock_${Date.now()}` }, jsonFrames(handler.format.json(plan, view), b), b);
    }
  };

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const query = q < 0 ? {} : parseQuery(url.slice(q + 1));
    const method = req.method ?? 'GET';
    const raw = method === 'GET' || method === 'HEAD' ? '' : await readBody(req);
    const body = parseBody(raw);
    if (control(method, path, body, res)) return;

    if (method === 'POST' && path === '/token') {
      const recordedToken: RecordedRequest = { method, path, query, headers: lowerHeaders(req.headers), body, time: Date.now(), closedEarly: false };
      if (record) remember(recordedToken);
      const out = tokenGrant(raw, `http://${req.headers.host ?? ''}${path}`, () => `ya29.mock-${randomUUID()}`);
      if (out.grant) {
        tokens.add(out.grant.token);
        tokenGrants.push(out.grant);
      }
      sendJson(res, out.status, out.body);
      return;
    }
    const handler = route(method, path, query, req.headers);
    // A request refused for its token does not use up a queued behaviour.
    let behaviour = handler?.vertex && !tokens.has(bearer(req.headers.authorization)) ? undefined : queue.shift();
    let headerError: string | null = null;
    if (!behaviour) {
      const header = req.headers['x-mock-behaviour'];
      if (typeof header === 'string' && header !== '') {
        try {
          behaviour = BehaviourSchema.parse(JSON.parse(header));
        } catch (err) {
          headerError = `invalid x-mock-behaviour header: ${err instanceof Error ? err.message : String(err)}`;
        }
      }
    }
    const recorded: RecordedRequest = { method, path, query, headers: lowerHeaders(req.headers), body, time: Date.now(), closedEarly: false };
    res.once('close', () => {
      if (!res.writableFinished) recorded.closedEarly = true;
    });
    if (record) remember(recorded);
    if (!handler) {
      const reply = openAIError(404, `mock upstream has no route ${method} ${path}`);
      sendJson(res, 404, reply.body, reply.headers);
      return;
    }
    if (handler.vertex && !tokens.has(bearer(req.headers.authorization))) {
      const reply = vertexUnauthenticated();
      sendJson(res, 401, reply.body, reply.headers);
      return;
    }
    const errorOf = handler.kind === 'chat' ? handler.format.error : handler.error;
    const problem = headerError ?? handler.check?.(asObject(body)) ?? null;
    if (problem) {
      const reply = errorOf(400, problem);
      sendJson(res, 400, reply.body, reply.headers);
      return;
    }
    await answer(req, res, handler, body, behaviour ?? fallback);
  };

  const server: Server = createServer((req, res) => {
    onRequest(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, JSON.stringify({ error: { message: String(err), type: 'mock_failure' } }));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    requests,
    tokenGrants,
    enqueue: (b) => {
      queue.push(BehaviourSchema.parse(b));
    },
    setDefault: (b) => {
      fallback = BehaviourSchema.parse(b);
    },
    reset: resetAll,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A JSON body is one frame, or two halves when the behaviour resets mid-body. */
const jsonFrames = (text: string, b: Behaviour): Frame[] =>
  b.reset_after_chunks === undefined ? [text] : [text.slice(0, Math.floor(text.length / 2)), text.slice(Math.floor(text.length / 2))];

import { request } from 'undici';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const services = require('./services/redis') as { startRedis(opts?: { port?: number }): Promise<RedisServer> };

export interface RedisServer {
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

/** A redis-server of the test's own (no persistence), so FLUSHALL and kills touch nobody else's data. */
export const startOwnRedis = (port?: number): Promise<RedisServer> => services.startRedis(port ? { port } : {});

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** One chat completion over HTTP (no SDK retries), the reply's status, headers and JSON body. */
export async function chat(baseUrl: string, secret: string, body: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await request(`${baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'openai-model', messages: [{ role: 'user', content: 'hello there' }], ...body }),
  });
  const text = await res.body.text();
  const h: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h[k] = v;
  return { status: res.statusCode, headers: h, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** n requests at once, spread round-robin over the gateways. */
export function burst(urls: string[], secrets: string[], n: number, body: Record<string, unknown> = {}): Promise<Reply[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => chat(urls[i % urls.length], secrets[i % secrets.length], body)));
}

export async function adminGet(baseUrl: string, path: string, token: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await request(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
}

export async function adminPut(baseUrl: string, path: string, token: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await request(`${baseUrl}${path}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
}

export const statuses = (replies: Reply[]): Record<number, number> => {
  const out: Record<number, number> = {};
  for (const r of replies) out[r.status] = (out[r.status] ?? 0) + 1;
  return out;
};

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor<T>(what: string, timeoutMs: number, fn: () => Promise<T | null | undefined | false>): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== null && v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(100);
  }
}

/**
 * Sends requests one after another; returns how many passed before the first 429 and checks that every
 * later one is refused too. A sequential client may get one request more than the budget allows
 * when the previous request's settlement has not reached the counters yet (docs/operations.md).
 */
export async function passedBeforeBudgetRefusal(send: () => Promise<Reply>, total: number): Promise<number> {
  const codes: number[] = [];
  for (let i = 0; i < total; i++) codes.push((await send()).status);
  const first = codes.indexOf(429);
  if (first < 0 || codes.slice(first).some((c) => c !== 429) || codes.slice(0, first).some((c) => c !== 200)) {
    throw new Error(`expected 200s, then only 429s; got ${codes.join(',')}`);
  }
  return first;
}

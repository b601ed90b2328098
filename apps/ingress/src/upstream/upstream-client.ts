import { Agent, type Dispatcher } from 'undici';
import type { UpstreamRequest } from '@gatehouse/providers';
import type { AbortFlag } from '../pipeline/abort-flag';

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
}

const MAX_PARSED_URLS = 1024;

/**
 * One undici Agent per configured provider (and connect timeout): keep-alive pools with that provider's connection
 * limit. URLs and credentials come only from config (the provider builds the request).
 */
export class UpstreamClient {
  /** Pools by pool owner (a provider of one config generation) and connect timeout. */
  private readonly pools = new WeakMap<object, Map<number, Agent>>();
  private readonly all = new Set<Agent>();
  /** Upstream URLs come only from config, so there are few of them: each is parsed once. */
  private readonly targets = new Map<string, { origin: string; path: string }>();

  /** The keep-alive pool of one provider (`owner`: its entry in the route table) for one connect timeout. */
  agentFor(owner: object, maxConnections: number, connectTimeoutMs: number): Agent {
    let byTimeout = this.pools.get(owner);
    if (!byTimeout) {
      byTimeout = new Map();
      this.pools.set(owner, byTimeout);
    }
    let agent = byTimeout.get(connectTimeoutMs);
    if (!agent) {
      agent = new Agent({
        connections: maxConnections,
        connect: { timeout: connectTimeoutMs },
        keepAliveTimeout: 30_000,
        keepAliveMaxTimeout: 600_000,
        pipelining: 1,
      });
      byTimeout.set(connectTimeoutMs, agent);
      this.all.add(agent);
    }
    return agent;
  }

  /** Closes the pools of an owner that is no longer routed to (a reload replaced it), once their requests finished. */
  retire(owner: object): void {
    const byTimeout = this.pools.get(owner);
    if (!byTimeout) return;
    this.pools.delete(owner);
    for (const agent of byTimeout.values()) {
      this.all.delete(agent);
      agent.close().catch(() => undefined);
    }
  }

  async send(
    agent: Agent,
    req: UpstreamRequest,
    opts: { signal: AbortSignal | AbortFlag; headersTimeoutMs: number; bodyTimeoutMs: number },
  ): Promise<UpstreamResponse> {
    const target = this.target(req.url);
    const res = await agent.request({
      origin: target.origin,
      path: target.path,
      method: req.method,
      headers: req.headers,
      body: req.method === 'GET' ? undefined : req.body,
      signal: opts.signal,
      headersTimeout: opts.headersTimeoutMs,
      bodyTimeout: opts.bodyTimeoutMs,
    });
    return { status: res.statusCode, headers: res.headers, body: res.body };
  }

  private target(raw: string): { origin: string; path: string } {
    let t = this.targets.get(raw);
    if (!t) {
      const url = new URL(raw);
      t = { origin: url.origin, path: url.pathname + url.search };
      if (this.targets.size >= MAX_PARSED_URLS) this.targets.clear();
      this.targets.set(raw, t);
    }
    return t;
  }

  async close(): Promise<void> {
    await Promise.all([...this.all].map((a) => a.close().catch(() => undefined)));
    this.all.clear();
  }
}

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
 * One undici Agent per configured provider: keep-alive pools with that provider's connection
 * limit. URLs and credentials come only from config (the provider builds the request).
 */
export class UpstreamClient {
  private readonly agents = new Map<string, Agent>();
  /** Upstream URLs come only from config, so there are few of them: each is parsed once. */
  private readonly targets = new Map<string, { origin: string; path: string }>();

  agentFor(providerName: string, maxConnections: number): Agent {
    let agent = this.agents.get(providerName);
    if (!agent) {
      agent = new Agent({
        connections: maxConnections,
        keepAliveTimeout: 30_000,
        keepAliveMaxTimeout: 600_000,
        pipelining: 1,
      });
      this.agents.set(providerName, agent);
    }
    return agent;
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
    await Promise.all([...this.agents.values()].map((a) => a.close().catch(() => undefined)));
    this.agents.clear();
  }
}

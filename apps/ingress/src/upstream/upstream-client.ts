import { Agent, type Dispatcher } from 'undici';
import type { UpstreamRequest } from '@gatehouse/providers/provider';

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
}

/**
 * One undici Agent per configured provider: keep-alive pools with that provider's connection
 * limit. URLs and credentials come only from config (the provider builds the request).
 */
export class UpstreamClient {
  private readonly agents = new Map<string, Agent>();

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
    opts: { signal: AbortSignal; headersTimeoutMs: number; bodyTimeoutMs: number },
  ): Promise<UpstreamResponse> {
    const url = new URL(req.url);
    const res = await agent.request({
      origin: url.origin,
      path: url.pathname + url.search,
      method: req.method,
      headers: req.headers,
      body: req.method === 'GET' ? undefined : req.body,
      signal: opts.signal,
      headersTimeout: opts.headersTimeoutMs,
      bodyTimeout: opts.bodyTimeoutMs,
    });
    return { status: res.statusCode, headers: res.headers, body: res.body };
  }

  async close(): Promise<void> {
    await Promise.all([...this.agents.values()].map((a) => a.close().catch(() => undefined)));
    this.agents.clear();
  }
}

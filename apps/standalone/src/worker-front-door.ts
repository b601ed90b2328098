import type { IncomingMessage, ServerResponse } from 'node:http';
import { registry } from '@gatehouse/observability';
import type { HotPath } from '@gatehouse/runtime';
import type { PrimaryProxy } from './primary-proxy';
import { pathOf, servedByWorker } from './worker-routes';

/**
 * What a standalone worker's HTTP server hands off before Nest: the ingress /v1 hot path, GET /metrics
 * (cluster-wide), and every request the worker does not serve itself (analytics, dashboard,
 * policies, ...) to the primary.
 */
export class WorkerFrontDoor implements HotPath {
  constructor(
    private readonly v1: HotPath | null,
    private readonly primary: PrimaryProxy,
    private readonly clusterMetrics: () => Promise<string>,
  ) {}

  matches(url: string): boolean {
    return (this.v1?.matches(url) ?? false) || pathOf(url) === '/metrics' || !servedByWorker(url);
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '';
    if (this.v1?.matches(url)) this.v1.handle(req, res);
    else if (pathOf(url) === '/metrics') void this.metrics(req, res);
    else this.primary.forward(req, res);
  }

  private async metrics(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'use GET /metrics', type: 'invalid_request_error', param: null } }));
      return;
    }
    const text = await this.clusterMetrics();
    res.writeHead(200, { 'content-type': registry.contentType });
    res.end(req.method === 'HEAD' ? undefined : text);
  }
}

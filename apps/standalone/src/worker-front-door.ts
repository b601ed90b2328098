import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HotPath } from '@gatehouse/runtime/serve';
import type { PrimaryProxy } from './primary-proxy';
import { servedByWorker } from './worker-routes';

/**
 * What a standalone worker's HTTP server hands off before Nest: the ingress /v1 hot path, and every
 * request the worker does not serve itself (analytics, dashboard, policies, ...) to the primary.
 */
export class WorkerFrontDoor implements HotPath {
  constructor(private readonly v1: HotPath | null, private readonly primary: PrimaryProxy) {}

  matches(url: string): boolean {
    return (this.v1?.matches(url) ?? false) || !servedByWorker(url);
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    if (this.v1?.matches(req.url ?? '')) this.v1.handle(req, res);
    else this.primary.forward(req, res);
  }
}

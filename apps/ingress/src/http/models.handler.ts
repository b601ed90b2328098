import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from '@gatehouse/contracts';
import type { Logger } from '@gatehouse/observability';
import { anyGlob, authenticate, presentedKey, type KeyDirectory } from '@gatehouse/keys';
import type { ClientCodec } from '../pipeline/client-codec';
import { RequestContext } from '../pipeline/request-context';
import type { LiveRoutes } from '../routing/route-table';
import { sendError } from './error-response';

/**
 * GET /v1/models: the configured model names this key may use; GET /v1/models/{id}: one of them
 * (404 when it is not configured or the key may not use it, alike, so a key cannot probe).
 * Anthropic's shapes when anthropic-version is sent, OpenAI's otherwise.
 */
export class ModelsHandler {
  private readonly created = Math.floor(Date.now() / 1000);

  constructor(
    private readonly routes: LiveRoutes,
    private readonly keys: KeyDirectory,
    private readonly log: Logger,
  ) {}

  handle(req: IncomingMessage, res: ServerResponse, codec: ClientCodec, id?: string): void {
    const ctx = new RequestContext(codec.format, 'models', req);
    try {
      const key = authenticate(this.keys, presentedKey(req.headers));
      const anthropic = !!req.headers['anthropic-version'];
      let body: unknown;
      if (id === undefined) {
        const names = Object.keys(this.routes.current.models).filter((m) => anyGlob(key.models, m));
        body = anthropic
          ? { data: names.map((n) => this.describe(n, true)), has_more: false, first_id: names[0] ?? null, last_id: names[names.length - 1] ?? null }
          : { object: 'list', data: names.map((n) => this.describe(n, false)) };
      } else {
        if (!Object.hasOwn(this.routes.current.models, id) || !anyGlob(key.models, id)) {
          throw new GatewayError(404, 'not_found_error', `model "${id}" does not exist or this key may not use it`, { code: 'model_not_found', param: 'model' });
        }
        body = this.describe(id, anthropic);
      }
      res.writeHead(200, { 'content-type': 'application/json', 'x-gatehouse-request-id': ctx.requestId });
      res.end(JSON.stringify(body));
    } catch (e) {
      sendError(res, codec, ctx, e, this.log);
    }
  }

  private describe(id: string, anthropic: boolean): Record<string, unknown> {
    return anthropic
      ? { type: 'model', id, display_name: id, created_at: new Date(this.created * 1000).toISOString() }
      : { id, object: 'model', created: this.created, owned_by: 'gatehouse' };
  }
}

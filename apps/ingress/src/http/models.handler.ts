import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatehouseConfig } from '@gatehouse/config';
import type { Logger } from '@gatehouse/observability';
import { anyGlob, authenticate, presentedKey, type KeyDirectory } from '@gatehouse/keys';
import type { ClientCodec } from '../pipeline/client-codec';
import { RequestContext } from '../pipeline/request-context';
import { sendError } from './error-response';

/** GET /v1/models: the configured model names this key may use (Anthropic's list shape when anthropic-version is sent). */
export class ModelsHandler {
  private readonly created = Math.floor(Date.now() / 1000);

  constructor(
    private readonly config: GatehouseConfig,
    private readonly keys: KeyDirectory,
    private readonly log: Logger,
  ) {}

  handle(req: IncomingMessage, res: ServerResponse, codec: ClientCodec): void {
    const ctx = new RequestContext(codec.format, 'models', req);
    try {
      const key = authenticate(this.keys, presentedKey(req.headers));
      const names = Object.keys(this.config.models).filter((m) => anyGlob(key.models, m));
      const body = req.headers['anthropic-version']
        ? {
            data: names.map((id) => ({ type: 'model', id, display_name: id, created_at: new Date(this.created * 1000).toISOString() })),
            has_more: false,
            first_id: names[0] ?? null,
            last_id: names[names.length - 1] ?? null,
          }
        : { object: 'list', data: names.map((id) => ({ id, object: 'model', created: this.created, owned_by: 'gatehouse' })) };
      res.writeHead(200, { 'content-type': 'application/json', 'x-gatehouse-request-id': ctx.requestId });
      res.end(JSON.stringify(body));
    } catch (e) {
      sendError(res, codec, ctx, e, this.log);
    }
  }
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatehouseConfig } from '@gatehouse/config';
import { decodeAnthropicCountTokens } from '@gatehouse/formats';
import type { Logger } from '@gatehouse/observability';
import { authenticate, authorizeModel, presentedKey, type KeyDirectory } from '@gatehouse/keys';
import { countInputTokens } from '@gatehouse/providers';
import { anthropicCodec } from '../pipeline/client-codec';
import type { CountTokensExecutor } from '../pipeline/count-tokens-executor';
import { parseJsonBody, readBody } from '../pipeline/read-body';
import { RequestContext } from '../pipeline/request-context';
import { gatewayHeaders } from '../pipeline/response-headers';
import type { LiveRoutes } from '../routing/route-table';
import { configuredModel } from './configured-model';
import { sendError } from './error-response';

/**
 * POST /v1/messages/count_tokens (Anthropic): exact when a target of the model counts tokens itself
 * (tried through the failover engine in the model's order), otherwise, or when every such target
 * failed, the local tokenizer's count. `x-gatehouse-token-count` says which: `exact` or `estimate`.
 * Nothing is generated, so no guardrails, limits or trace apply.
 */
export class CountTokensHandler {
  constructor(
    private readonly config: GatehouseConfig,
    private readonly keys: KeyDirectory,
    private readonly routes: LiveRoutes,
    private readonly executor: CountTokensExecutor,
    private readonly log: Logger,
  ) {}

  handle(req: IncomingMessage, res: ServerResponse): void {
    const ctx = new RequestContext('anthropic', 'count_tokens', req);
    this.run(req, res, ctx).catch((e) => sendError(res, anthropicCodec, ctx, e, this.log));
  }

  private async run(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> {
    const key = authenticate(this.keys, presentedKey(req.headers));
    ctx.key = key;
    const body = parseJsonBody(await readBody(req, this.config.limits.max_body_bytes)) as Record<string, unknown>;
    const request = decodeAnthropicCountTokens(body);
    ctx.modelRequested = request.model;
    authorizeModel(key, request.model);
    const routes = this.routes.current;
    const model = configuredModel(routes.models, request.model);
    const exact = await this.executor.run({ ctx, model, routes, clientGone: null, body, request, count: null });
    const headers = gatewayHeaders(ctx, 'application/json');
    headers['x-gatehouse-token-count'] = exact === null ? 'estimate' : 'exact';
    res.writeHead(200, headers);
    res.end(JSON.stringify({ input_tokens: exact ?? countInputTokens(request) }));
  }
}

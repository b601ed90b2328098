import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatehouseConfig, ModelConfig } from '@gatehouse/config';
import { GatewayError } from '@gatehouse/contracts';
import { decodeAnthropicCountTokens } from '@gatehouse/formats';
import type { Logger } from '@gatehouse/observability';
import { authenticate, authorizeModel, presentedKey, type KeyDirectory } from '@gatehouse/keys';
import { countInputTokens, type HttpProvider } from '@gatehouse/providers';
import { orderTargets, type TargetBoard } from '@gatehouse/routing';
import { AbortFlag } from '../pipeline/abort-flag';
import { anthropicCodec } from '../pipeline/client-codec';
import { parseJsonBody, readBody } from '../pipeline/read-body';
import { RequestContext } from '../pipeline/request-context';
import { gatewayHeaders } from '../pipeline/response-headers';
import type { LiveRoutes, RouteTable } from '../routing/route-table';
import type { UpstreamClient } from '../upstream/upstream-client';
import { configuredModel } from './configured-model';
import { sendError } from './error-response';

const MAX_COUNT_BODY = 64 * 1024;

/**
 * POST /v1/messages/count_tokens (Anthropic): exact when the model's first target counts tokens
 * itself (Anthropic's count_tokens, the client's body with the model replaced), otherwise, or when
 * that call fails, the local tokenizer's count. `x-gatehouse-token-count` says which: `exact` or
 * `estimate`. Nothing is generated, so no guardrails, limits or trace apply.
 */
export class CountTokensHandler {
  constructor(
    private readonly config: GatehouseConfig,
    private readonly keys: KeyDirectory,
    private readonly routes: LiveRoutes,
    private readonly upstream: UpstreamClient,
    private readonly board: TargetBoard,
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
    const exact = await this.exactCount(ctx, routes, model, body);
    const headers = gatewayHeaders(ctx, 'application/json');
    headers['x-gatehouse-token-count'] = exact === null ? 'estimate' : 'exact';
    res.writeHead(200, headers);
    res.end(JSON.stringify({ input_tokens: exact ?? countInputTokens(request) }));
  }

  /** The first target's own count, or null when its provider cannot count or did not answer. */
  private async exactCount(ctx: RequestContext, routes: RouteTable, model: ModelConfig, body: Record<string, unknown>): Promise<number | null> {
    const target = orderTargets(model, this.board.latency, Math.random, routes.models)[0];
    const entry = target && routes.providers.get(target.provider);
    if (!entry || entry.provider.kind !== 'http') return null;
    const provider: HttpProvider = entry.provider;
    if (!provider.countTokensRequest || !provider.parseTokenCount || provider.nativeFormat !== 'anthropic') return null;
    const started = performance.now();
    const record = (status: number, errorType: string | null) =>
      ctx.attempts.push({ provider: entry.name, model: target.model, status, error_type: errorType, latency_ms: Math.round(performance.now() - started) });
    const abort = new AbortFlag();
    const timer = setTimeout(() => abort.abort(), model.timeout.total_ms);
    try {
      const up = await this.upstream.send(this.upstream.agentFor(entry, entry.maxConnections, model.timeout.connect_ms), provider.countTokensRequest(body, target.model), {
        signal: abort,
        headersTimeoutMs: model.timeout.first_byte_ms,
        bodyTimeoutMs: model.timeout.total_ms,
      });
      const text = (await up.body.text()).slice(0, MAX_COUNT_BODY);
      if (up.status >= 400) {
        const info = provider.parseError(up.status, text);
        record(up.status, info.type);
        if (up.status === 400) throw new GatewayError(400, 'invalid_request_error', `${entry.name} returned 400: ${info.message}`, { code: 'upstream_rejected' });
        return null;
      }
      const count = provider.parseTokenCount(text);
      record(up.status, null);
      ctx.provider = entry.name;
      ctx.modelUpstream = target.model;
      return count;
    } catch (e) {
      if (e instanceof GatewayError) throw e;
      record(0, 'count_failed');
      this.log.warn({ provider: entry.name, err: (e as Error).message }, 'count_tokens upstream failed; answering the local estimate');
      return null;
    } finally {
      clearTimeout(timer);
    }
  }
}

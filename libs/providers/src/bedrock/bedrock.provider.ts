import { jsonHeaders, trimBase } from '../shared/http';
import type { BedrockConfig } from './bedrock.config';
import { maskSecrets } from '../shared/redact';
import { StructuredStreamParser, structuredResponse } from '../shared/structured-tool';
import type { HttpProvider, UpstreamErrorInfo, UpstreamRequest } from '../provider';
import { parseMessage } from '../anthropic/response';
import { invokeModelBody, isBedrockAnthropicModel } from './invoke-body';
import { BedrockInvokeStreamParser } from './invoke-stream';
import { buildConverseRequest } from './request';
import { parseConverseResponse } from './response';
import { BedrockSigner } from './signer';
import { BedrockStreamParser } from './stream';

export const bedrockDefaultBaseUrl = (region: string): string => `https://bedrock-runtime.${region}.amazonaws.com`;

const MAX_MESSAGE = 1000;

/** Bedrock error bodies are `{"message": "..."}`; the type is in a header we do not get, so it follows the status. */
const TYPE_BY_STATUS: Record<number, string> = {
  400: 'ValidationException',
  403: 'AccessDeniedException',
  404: 'ResourceNotFoundException',
  408: 'ModelTimeoutException',
  424: 'ModelErrorException',
  429: 'ThrottlingException',
  500: 'InternalServerException',
  503: 'ServiceUnavailableException',
};

/**
 * Amazon Bedrock Converse API; Anthropic-format requests for Anthropic models pass through
 * InvokeModel instead (native pass-through). Requests are SigV4-signed with the configured access keys, or sent
 * with a Bedrock API key (`api_key`, bearer) when no access keys are configured. Embeddings are not
 * offered: Converse has no embeddings operation (Titan/Cohere embeddings use InvokeModel).
 */
export function createBedrockProvider(config: BedrockConfig): HttpProvider {
  const region = config.region;
  const hasKeys = Boolean(config.access_key_id && config.secret_access_key);
  const signer = hasKeys
    ? new BedrockSigner(region, {
      accessKeyId: config.access_key_id!,
      secretAccessKey: config.secret_access_key!,
      ...(config.session_token ? { sessionToken: config.session_token } : {}),
    })
    : null;
  const base = trimBase(config.base_url ?? bedrockDefaultBaseUrl(region));
  const secrets = [config.secret_access_key, config.session_token, config.api_key].filter((s): s is string => Boolean(s));

  async function post(path: string, body: string, accept: string): Promise<UpstreamRequest> {
    const url = `${base}${path}`;
    if (!signer) {
      return { method: 'POST', url, headers: { ...jsonHeaders(config, { authorization: `Bearer ${config.api_key}` }), accept }, body };
    }
    const headers = await signer.sign({ url, headers: { ...jsonHeaders(config, {}), accept }, body });
    return { method: 'POST', url, headers, body };
  }

  const scrub = (text: string): string => secrets.reduce((t, s) => t.split(s).join('***'), maskSecrets(text));

  return {
    kind: 'http',
    type: 'bedrock',
    nativeFormat: null,
    nativeFormatFor: (upstreamModel) => (isBedrockAnthropicModel(upstreamModel) ? 'anthropic' : null),
    /** An Anthropic Messages body for an Anthropic model, over InvokeModel (the anthropic-version header is Bedrock's own in the body). */
    passthroughRequest(body, upstreamModel, clientHeaders) {
      const json = JSON.stringify(invokeModelBody(body, clientHeaders?.['anthropic-beta']));
      const model = encodeURIComponent(upstreamModel);
      return body.stream === true
        ? post(`/model/${model}/invoke-with-response-stream`, json, 'application/vnd.amazon.eventstream')
        : post(`/model/${model}/invoke`, json, 'application/json');
    },
    passthroughResponse: {
      parse: (body, upstreamModel) => parseMessage(body, upstreamModel),
      createStreamParser: (upstreamModel) => new BedrockInvokeStreamParser(upstreamModel),
    },
    chatRequest(req, upstreamModel) {
      const body = JSON.stringify(buildConverseRequest(req, upstreamModel));
      const model = encodeURIComponent(upstreamModel);
      return req.stream
        ? post(`/model/${model}/converse-stream`, body, 'application/vnd.amazon.eventstream')
        : post(`/model/${model}/converse`, body, 'application/json');
    },
    parseChatResponse: (body, upstreamModel) => structuredResponse(parseConverseResponse(body, upstreamModel)),
    createStreamParser: (upstreamModel) => new StructuredStreamParser(new BedrockStreamParser(upstreamModel)),
    parseError(status, body): UpstreamErrorInfo {
      let message: string | undefined;
      let type: string | undefined;
      try {
        const json: unknown = JSON.parse(body);
        if (json && typeof json === 'object') {
          const o = json as Record<string, unknown>;
          const m = o.message ?? o.Message;
          if (typeof m === 'string') message = m;
          if (typeof o.__type === 'string') type = o.__type.split('#').pop();
        }
      } catch {
        // not JSON: keep the text
      }
      const text = message ?? (body.trim() || `HTTP ${status}`);
      return {
        type: type ?? TYPE_BY_STATUS[status] ?? `http_${status}`,
        message: scrub(text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text),
      };
    },
  };
}

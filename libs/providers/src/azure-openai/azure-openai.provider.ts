import { own } from '@gatehouse/contracts';
import type { HttpProvider, UpstreamRequest } from '../provider';
import { jsonHeaders, trimBase } from '../shared/http';
import type { AzureOpenAIConfig } from './azure-openai.config';
import { parseUpstreamError } from '../shared/upstream-error';
import { buildEmbeddingsBody, parseEmbeddings } from '../openai/embeddings';
import { buildChatBody, passthroughBody, type OpenAIDialect } from '../openai/request';
import { parseChatCompletion } from '../openai/response';
import { OpenAIStreamParser } from '../openai/stream';

/** Latest GA data-plane version of Azure OpenAI (supports max_completion_tokens, stream_options and json_schema). */
export const AZURE_DEFAULT_API_VERSION = '2024-10-21';

const AZURE_DIALECT: OpenAIDialect = {
  provider: 'azure-openai',
  maxTokensField: 'max_completion_tokens',
  streamUsage: true,
  unsupported: {
    top_k: 'Azure OpenAI has no top_k sampling parameter',
  },
};

/**
 * Azure OpenAI: base_url is the resource endpoint (https://<resource>.openai.azure.com), the model
 * maps to a deployment through `deployments` (default: the model name), key in the `api-key` header.
 */
export function createAzureOpenAIProvider(config: AzureOpenAIConfig): HttpProvider {
  const base = trimBase(config.base_url);
  const query = `?api-version=${encodeURIComponent(config.api_version ?? AZURE_DEFAULT_API_VERSION)}`;
  const headers = jsonHeaders(config, config.api_key ? { 'api-key': config.api_key } : {});
  const deployments = config.deployments ?? {};
  const urls = new Map<string, { chat: string; embeddings: string }>();
  const urlsFor = (model: string) => {
    let u = urls.get(model);
    if (!u) {
      const dep = `${base}/openai/deployments/${encodeURIComponent(own(deployments, model) ?? model)}`;
      u = { chat: `${dep}/chat/completions${query}`, embeddings: `${dep}/embeddings${query}` };
      urls.set(model, u);
    }
    return u;
  };
  const post = (url: string, body: unknown): UpstreamRequest => ({ method: 'POST', url, headers: { ...headers }, body: JSON.stringify(body) });

  return {
    kind: 'http',
    type: 'azure-openai',
    nativeFormat: 'openai',
    chatRequest: (req, model) => post(urlsFor(model).chat, buildChatBody(req, model, AZURE_DIALECT)),
    passthroughRequest: (body, model) => post(urlsFor(model).chat, passthroughBody(body, model)),
    parseChatResponse: parseChatCompletion,
    createStreamParser: (model) => new OpenAIStreamParser(model),
    embeddingsRequest: (req, model) => post(urlsFor(model).embeddings, buildEmbeddingsBody(req, model)),
    parseEmbeddingsResponse: parseEmbeddings,
    parseError: parseUpstreamError,
  };
}

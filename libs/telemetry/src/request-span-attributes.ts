import type { Attributes } from '@opentelemetry/api';
import type { Endpoint, Trace } from '@gatehouse/contracts';

/** gen_ai.operation.name of each endpoint (OpenTelemetry GenAI semantic conventions). */
const OPERATION: Record<Endpoint, string> = {
  chat: 'chat',
  messages: 'chat',
  responses: 'chat',
  embeddings: 'embeddings',
  count_tokens: 'count_tokens',
  models: 'list_models',
};

/** gen_ai.provider.name of the provider types that have a well-known value; others report their type. */
const PROVIDER_NAME: Record<string, string> = {
  openai: 'openai',
  'azure-openai': 'azure.ai.openai',
  anthropic: 'anthropic',
  bedrock: 'aws.bedrock',
  gemini: 'gcp.gemini',
  vertex: 'gcp.vertex_ai',
};

export const operationName = (endpoint: Endpoint): string => OPERATION[endpoint];

export const spanName = (trace: Trace): string =>
  trace.model_requested ? `${OPERATION[trace.endpoint]} ${trace.model_requested}` : OPERATION[trace.endpoint];

/**
 * The attributes of a request's span: GenAI conventions where they have a name, `gatehouse.*` for
 * what is ours (cost, team, key, guardrail outcome). Never bodies, never secrets: only ids and names.
 */
export function requestSpanAttributes(trace: Trace, providerType: string | null): Attributes {
  const a: Attributes = {
    'gen_ai.operation.name': OPERATION[trace.endpoint],
    'gen_ai.request.model': trace.model_requested,
    'gen_ai.usage.input_tokens': trace.input_tokens,
    'gen_ai.usage.output_tokens': trace.output_tokens,
    'http.response.status_code': trace.status,
    'gatehouse.request_id': trace.request_id,
    'gatehouse.endpoint': trace.endpoint,
    'gatehouse.client_format': trace.client_format,
    'gatehouse.attempts': trace.attempts,
    'gatehouse.stream': trace.stream,
    'gatehouse.cache_status': trace.cache_status,
    'gatehouse.guardrails.action': trace.guardrails.action,
  };
  if (providerType) a['gen_ai.provider.name'] = PROVIDER_NAME[providerType] ?? providerType;
  if (trace.provider) a['gatehouse.provider'] = trace.provider;
  if (trace.model_upstream) a['gen_ai.response.model'] = trace.model_upstream;
  if (trace.cached_tokens > 0) a['gen_ai.usage.cache_read.input_tokens'] = trace.cached_tokens;
  if (trace.cache_write_tokens > 0) a['gen_ai.usage.cache_creation.input_tokens'] = trace.cache_write_tokens;
  if (trace.reasoning_tokens > 0) a['gen_ai.usage.reasoning.output_tokens'] = trace.reasoning_tokens;
  if (trace.cost_usd !== null) a['gatehouse.cost_usd'] = trace.cost_usd;
  if (trace.cost_saved_usd > 0) a['gatehouse.cost_saved_usd'] = trace.cost_saved_usd;
  if (trace.ttft_ms !== null) a['gatehouse.ttft_ms'] = trace.ttft_ms;
  if (trace.team) a['gatehouse.team'] = trace.team;
  if (trace.key_id) a['gatehouse.key_id'] = trace.key_id;
  if (trace.key_name) a['gatehouse.key_name'] = trace.key_name;
  if (trace.guardrails.policies.length > 0) a['gatehouse.guardrails.policies'] = trace.guardrails.policies.map((p) => `${p.id}@${p.version}`);
  for (const k in trace.metadata) a[`gatehouse.metadata.${k}`] = trace.metadata[k];
  if (trace.error_type) a['error.type'] = trace.error_type;
  return a;
}

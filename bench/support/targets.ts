import { z } from 'zod';

/** One thing the load generator can hit: the mock directly, the bare proxy, or a gateway variant. */
export const TargetSchema = z.object({
  name: z.string(),
  origin: z.string().url(),
  path: z.string().startsWith('/'),
  headers: z.record(z.string(), z.string()),
  /** JSON body of a non-streaming request. */
  body: z.string(),
  /** JSON body of the same request with streaming on. */
  streamBody: z.string(),
});
export type Target = z.infer<typeof TargetSchema>;

export const TARGET_NAMES = ['direct', 'bare', 'gateway', 'gateway-translate'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

/** Rate limits and budget off / on (key and team rpm, tpm, budget), on the ingress with REDIS_URL. */
export const LIMIT_TARGET_NAMES = ['limits-off', 'limits-on'] as const;

/** The response cache variants, all on an ingress with REDIS_URL (Redis on loopback). */
export const CACHE_TARGET_NAMES = ['cache-off', 'cache-miss', 'cache-hit'] as const;

const PROMPT = [{ role: 'user', content: 'Say hello to the benchmark.' }];

function openaiBodies(model: string): Pick<Target, 'body' | 'streamBody'> {
  return {
    body: JSON.stringify({ model, messages: PROMPT }),
    streamBody: JSON.stringify({ model, messages: PROMPT, stream: true, stream_options: { include_usage: true } }),
  };
}

function anthropicBodies(model: string): Pick<Target, 'body' | 'streamBody'> {
  return {
    body: JSON.stringify({ model, max_tokens: 256, messages: PROMPT }),
    streamBody: JSON.stringify({ model, max_tokens: 256, messages: PROMPT, stream: true }),
  };
}

export interface Endpoints {
  mock: string;
  bare: string;
  gateway: string;
  apiKey: string;
  model: string;
}

/** The four targets: the same OpenAI chat request to the mock, through the bare proxy and through the gateway; plus an Anthropic request the gateway translates to the OpenAI provider. */
export function buildTargets(e: Endpoints): Target[] {
  const json = { 'content-type': 'application/json' };
  const upstream = { ...json, authorization: 'Bearer sk-bench-upstream' };
  return [
    { name: 'direct', origin: e.mock, path: '/v1/chat/completions', headers: upstream, ...openaiBodies(e.model) },
    { name: 'bare', origin: e.bare, path: '/v1/chat/completions', headers: upstream, ...openaiBodies(e.model) },
    { name: 'gateway', origin: e.gateway, path: '/v1/chat/completions', headers: { ...json, authorization: `Bearer ${e.apiKey}` }, ...openaiBodies(e.model) },
    {
      name: 'gateway-translate',
      origin: e.gateway,
      path: '/v1/messages',
      headers: { ...json, 'x-api-key': e.apiKey, 'anthropic-version': '2023-06-01' },
      ...anthropicBodies(e.model),
    },
  ];
}

/**
 * On the ingress with Redis: `cache-off` (x-gatehouse-cache: false, a new prompt per request),
 * `cache-miss` (true, a new prompt per request: a lookup that misses, then the entry is written after
 * the response) and `cache-hit` (true, always the same prompt: every request after the first is a hit).
 */
export function buildCacheTargets(origin: string, apiKey: string, model: string): Target[] {
  const headers = (cache: 'true' | 'false') => ({ 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, 'x-gatehouse-cache': cache });
  const fresh = (label: string) => [{ role: 'user', content: `${label} __SEQ__: say hello to the benchmark.` }];
  const body = (messages: unknown) => JSON.stringify({ model, messages });
  const streamBody = (messages: unknown) => JSON.stringify({ model, messages, stream: true, stream_options: { include_usage: true } });
  return [
    { name: 'cache-off', origin, path: '/v1/chat/completions', headers: headers('false'), body: body(fresh('off')), streamBody: streamBody(fresh('off')) },
    { name: 'cache-miss', origin, path: '/v1/chat/completions', headers: headers('true'), body: body(fresh('miss')), streamBody: streamBody(fresh('miss')) },
    { name: 'cache-hit', origin, path: '/v1/chat/completions', headers: headers('true'), body: body(PROMPT), streamBody: streamBody(PROMPT) },
  ];
}

/** `limits-off` (a key without limits) and `limits-on` (key and team with rpm, tpm and a budget: one Lua call before, one settlement after), cache off, same prompt. */
export function buildLimitTargets(origin: string, apiKey: string, limitedApiKey: string, model: string): Target[] {
  const headers = (key: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${key}`, 'x-gatehouse-cache': 'false' });
  return [
    { name: 'limits-off', origin, path: '/v1/chat/completions', headers: headers(apiKey), ...openaiBodies(model) },
    { name: 'limits-on', origin, path: '/v1/chat/completions', headers: headers(limitedApiKey), ...openaiBodies(model) },
  ];
}

/** `translate`: the Anthropic request (`/v1/messages`, key without limits) the gateway translates to the OpenAI provider, cache off. */
export function buildTranslateTarget(origin: string, apiKey: string, model: string): Target {
  const headers = { 'content-type': 'application/json', 'x-api-key': apiKey, 'anthropic-version': '2023-06-01', 'x-gatehouse-cache': 'false' };
  return { name: 'translate', origin, path: '/v1/messages', headers, ...anthropicBodies(model) };
}

/** `failover-healthy` (two healthy targets, fallback) and `failover-50` (the first one fails 50 %: every other request fails over), same ingress. */
export function buildFailoverTargets(origin: string, apiKey: string, models: { healthy: string; flaky: string }): Target[] {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` };
  return [
    { name: 'failover-healthy', origin, path: '/v1/chat/completions', headers, ...openaiBodies(models.healthy) },
    { name: 'failover-50', origin, path: '/v1/chat/completions', headers, ...openaiBodies(models.flaky) },
  ];
}

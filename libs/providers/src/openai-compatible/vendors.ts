import type { OpenAIDialect } from '../openai/request';

/** Servers that may return fewer choices than asked (or ignore n) are not sent n > 1: a 400 instead of a silent single choice. */
const SINGLE_CHOICE = 'this server is not known to return n choices';
const NO_TOP_K = 'this API has no top_k sampling parameter';

/**
 * Known OpenAI-compatible vendors, detected from the base_url host. Anything else (vLLM, Ollama,
 * LM Studio, llama.cpp, ...) gets the generic dialect: max_tokens, top_k passed through, usage on streams.
 */
const VENDORS: ReadonlyArray<{ host: string; dialect: Omit<OpenAIDialect, 'provider'> }> = [
  { host: 'api.groq.com', dialect: { maxTokensField: 'max_completion_tokens', streamUsage: true, unsupported: { n: 'Groq only supports n=1', top_k: NO_TOP_K } } },
  {
    host: 'api.deepseek.com',
    dialect: {
      maxTokensField: 'max_tokens',
      streamUsage: true,
      unsupported: {
        n: SINGLE_CHOICE,
        top_k: NO_TOP_K,
        images: 'DeepSeek chat models accept text only',
        'response_format.json_schema': 'DeepSeek supports json_object only',
      },
    },
  },
  {
    // Mistral always reports usage in the last chunk and rejects unknown fields such as stream_options.
    host: 'api.mistral.ai',
    dialect: {
      maxTokensField: 'max_tokens',
      streamUsage: false,
      rename: { seed: 'random_seed' },
      requiredToolChoice: 'any',
      unsupported: { n: SINGLE_CHOICE, top_k: NO_TOP_K, user: 'Mistral has no user field' },
    },
  },
  { host: 'api.x.ai', dialect: { maxTokensField: 'max_tokens', streamUsage: true, unsupported: { n: SINGLE_CHOICE, top_k: NO_TOP_K } } },
  { host: 'api.together.xyz', dialect: { maxTokensField: 'max_tokens', streamUsage: true, unsupported: { n: SINGLE_CHOICE } } },
  { host: 'api.fireworks.ai', dialect: { maxTokensField: 'max_tokens', streamUsage: true, unsupported: { n: SINGLE_CHOICE } } },
  { host: 'openrouter.ai', dialect: { maxTokensField: 'max_tokens', streamUsage: true, unsupported: { n: SINGLE_CHOICE } } },
];

const GENERIC: Omit<OpenAIDialect, 'provider'> = { maxTokensField: 'max_tokens', streamUsage: true, unsupported: { n: SINGLE_CHOICE } };

/** The dialect for a base URL: a known vendor by host (or subdomain), else generic. */
export function dialectFor(baseUrl: string): OpenAIDialect {
  const host = new URL(baseUrl).hostname.toLowerCase();
  const vendor = VENDORS.find((v) => host === v.host || host.endsWith(`.${v.host}`));
  return { provider: 'openai-compatible', ...(vendor?.dialect ?? GENERIC) };
}

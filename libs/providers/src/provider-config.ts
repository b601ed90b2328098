import { z } from 'zod';
import { AnthropicConfigSchema } from './anthropic/anthropic.config';
import { AzureOpenAIConfigSchema } from './azure-openai/azure-openai.config';
import { BedrockConfigSchema, hasCredentials } from './bedrock/bedrock.config';
import { GeminiConfigSchema } from './gemini/gemini.config';
import { MockConfigSchema } from './mock/mock.config';
import { OpenAICompatibleConfigSchema } from './openai-compatible/openai-compatible.config';
import { OpenAIConfigSchema } from './openai/openai.config';
import { vertexCredentialIssues, VertexConfigSchema } from './vertex/vertex.config';

const SCHEMAS = [
  OpenAIConfigSchema,
  AnthropicConfigSchema,
  AzureOpenAIConfigSchema,
  GeminiConfigSchema,
  BedrockConfigSchema,
  VertexConfigSchema,
  OpenAICompatibleConfigSchema,
  MockConfigSchema,
] as const;

export const PROVIDER_TYPES = SCHEMAS.map((s) => s.shape.type.value);

/** One configured provider account: each type's own schema (libs/providers/src/<type>/<type>.config.ts), chosen by `type`. */
export const ProviderConfigSchema = z
  .discriminatedUnion('type', SCHEMAS, {
    error: (iss) => (iss.code === 'invalid_union' ? `must be one of ${PROVIDER_TYPES.join(', ')}` : undefined),
  })
  .superRefine((p, ctx) => {
    if (p.type === 'bedrock' && !hasCredentials(p)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'bedrock needs access_key_id and secret_access_key (or api_key for a Bedrock API key)' });
    }
    if (p.type === 'vertex') for (const issue of vertexCredentialIssues(p)) ctx.addIssue({ code: 'custom', ...issue });
  });
export type ProviderConfig = z.infer<typeof ProviderConfigSchema>;
export type ProviderType = ProviderConfig['type'];
/** The config of one provider type. */
export type ProviderConfigOf<T extends ProviderType> = Extract<ProviderConfig, { type: T }>;

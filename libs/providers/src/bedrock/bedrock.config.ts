import { z } from 'zod';
import { providerConfig } from '../shared/config-fields';

/** SigV4 access keys, or `api_key` for a Bedrock API key (bearer). */
export const BedrockConfigSchema = providerConfig('bedrock', {
  region: z.string({ error: (iss) => (iss.input === undefined ? 'required for type bedrock (the AWS region)' : undefined) }).min(1),
  access_key_id: z.string().optional(),
  secret_access_key: z.string().optional(),
  session_token: z.string().optional(),
});
export type BedrockConfig = z.infer<typeof BedrockConfigSchema>;

/** Credentials are both access keys, or an api_key. */
export const hasCredentials = (c: Pick<BedrockConfig, 'access_key_id' | 'secret_access_key' | 'api_key'>): boolean =>
  Boolean((c.access_key_id && c.secret_access_key) || c.api_key);

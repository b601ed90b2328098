import { z } from 'zod';
import { httpUrl, providerConfig } from '../shared/config-fields';

export const AzureOpenAIConfigSchema = providerConfig('azure-openai', {
  /** The resource endpoint, https://<resource>.openai.azure.com. */
  base_url: httpUrl({ type: 'azure-openai', why: 'the upstream endpoint' }),
  api_version: z.string().optional(),
  /** Model name → deployment name (default: the model name). */
  deployments: z.record(z.string(), z.string()).optional(),
});
export type AzureOpenAIConfig = z.infer<typeof AzureOpenAIConfigSchema>;

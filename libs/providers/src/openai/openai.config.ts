import type { z } from 'zod';
import { providerConfig, responsesMode } from '../shared/config-fields';

/** api.openai.com (or a proxy of it via base_url), Bearer api_key. */
export const OpenAIConfigSchema = providerConfig('openai', { responses: responsesMode });
export type OpenAIConfig = z.infer<typeof OpenAIConfigSchema>;

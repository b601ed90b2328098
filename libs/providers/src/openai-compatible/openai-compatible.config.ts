import type { z } from 'zod';
import { httpUrl, providerConfig, responsesMode } from '../shared/config-fields';

export const OpenAICompatibleConfigSchema = providerConfig('openai-compatible', {
  base_url: httpUrl({ type: 'openai-compatible', why: 'the upstream endpoint' }),
  responses: responsesMode,
});
export type OpenAICompatibleConfig = z.infer<typeof OpenAICompatibleConfigSchema>;

import type { z } from 'zod';
import { providerConfig } from '../shared/config-fields';

export const AnthropicConfigSchema = providerConfig('anthropic', {});
export type AnthropicConfig = z.infer<typeof AnthropicConfigSchema>;

import type { z } from 'zod';
import { providerConfig } from '../shared/config-fields';

export const GeminiConfigSchema = providerConfig('gemini', {});
export type GeminiConfig = z.infer<typeof GeminiConfigSchema>;

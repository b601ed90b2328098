import type { z } from 'zod';
import { providerConfig } from '../shared/config-fields';

/** The built-in mock takes no settings of its own. */
export const MockConfigSchema = providerConfig('mock', {});
export type MockConfig = z.infer<typeof MockConfigSchema>;

import { z } from 'zod';
import { PriceSchema, type Price } from '@gatehouse/config';
import raw from './data/catalogue.json';

export const CatalogueSchema = z.object({
  checked_at: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD'),
  currency: z.literal('USD'),
  unit: z.literal('per million tokens'),
  notes: z.string(),
  sources: z.array(z.string().min(1)).min(1),
  models: z.record(z.string().min(1), PriceSchema),
});
export type Catalogue = z.infer<typeof CatalogueSchema>;

/** The built-in list prices, validated once at load. */
export const BUILT_IN_CATALOGUE: Readonly<Catalogue> = Object.freeze(CatalogueSchema.parse(raw));

export const builtInPrices = (): ReadonlyMap<string, Price> => new Map(Object.entries(BUILT_IN_CATALOGUE.models));

import type { GatehouseConfig, Price } from '@gatehouse/config';
import { builtInPrices } from './catalogue';
import { normaliseModelName } from './normalise';

/**
 * Resolves the price of an upstream model. Config overrides win over the built-in catalogue;
 * within each, the order is: "<type>/<model>", "<model>", then the same with the normalised
 * model name, then "<type>/*".
 */
export class PriceBook {
  private overrides: ReadonlyMap<string, Price>;
  private readonly catalogue: ReadonlyMap<string, Price>;
  private readonly memo = new Map<string, Price | null>();

  constructor(overrides: GatehouseConfig['pricing'] = {}, catalogue: ReadonlyMap<string, Price> = builtInPrices()) {
    this.overrides = lowerCaseKeys(overrides);
    this.catalogue = lowerCaseKeys(Object.fromEntries(catalogue));
  }

  /** Takes the `pricing` section of a reloaded config (requests priced after this use it). */
  reprice(overrides: GatehouseConfig['pricing']): void {
    this.overrides = lowerCaseKeys(overrides);
    this.memo.clear();
  }

  lookup(providerType: string, upstreamModel: string): Price | null {
    const memoKey = `${providerType}\u0000${upstreamModel}`;
    const hit = this.memo.get(memoKey);
    if (hit !== undefined) return hit;
    const price = this.resolve(providerType.toLowerCase(), upstreamModel);
    if (this.memo.size > 10_000) this.memo.clear();
    this.memo.set(memoKey, price);
    return price;
  }

  private resolve(type: string, model: string): Price | null {
    const exact = model.trim().toLowerCase();
    const normalised = normaliseModelName(model);
    const keys = [`${type}/${exact}`, exact, `${type}/${normalised}`, normalised, `${type}/*`];
    for (const table of [this.overrides, this.catalogue]) {
      for (const key of keys) {
        const price = table.get(key);
        if (price) return price;
      }
    }
    return null;
  }
}

function lowerCaseKeys(prices: Record<string, Price>): ReadonlyMap<string, Price> {
  return new Map(Object.entries(prices).map(([k, v]) => [k.trim().toLowerCase(), v]));
}

import type { Price } from '@gatehouse/config';
import type { CostParts } from '@gatehouse/contracts';
import type { Usage } from '@gatehouse/formats';

export interface CostResult {
  cost_usd: number | null;
  cost: CostParts | null;
  pricing_unknown: boolean;
}

/** Prices become integers of 1e-12 USD per token (= 1e-6 USD per million), so sums are exact. */
const PICO_PER_USD = 1_000_000_000_000n;
const toPicoPerToken = (usdPerMtok: number): bigint => BigInt(Math.round(usdPerMtok * 1_000_000));
const tokens = (n: number): bigint => BigInt(Math.max(0, Math.trunc(Number.isFinite(n) ? n : 0)));
const toUsd = (pico: bigint): number => Number(pico) / Number(PICO_PER_USD);

/**
 * Cost of one request. Token semantics follow libs/formats/src/canonical.ts: input_tokens
 * includes cache reads and writes, output_tokens includes reasoning. Cache reads and writes
 * fall back to the input price and reasoning to the output price when the model has none.
 * An unknown price gives a null cost (never 0) and pricing_unknown = true.
 */
export function computeCost(usage: Usage, price: Price | null): CostResult {
  if (!price) return { cost_usd: null, cost: null, pricing_unknown: true };

  const input = tokens(usage.input_tokens);
  const cacheRead = tokens(usage.cache_read_tokens);
  const cacheWrite = tokens(usage.cache_write_tokens);
  const output = tokens(usage.output_tokens);
  const reasoning = minBig(tokens(usage.reasoning_tokens), output);
  const uncached = maxBig(input - cacheRead - cacheWrite, 0n);

  const inputPrice = toPicoPerToken(price.input_per_mtok);
  const outputPrice = toPicoPerToken(price.output_per_mtok);
  const cachedPrice = price.cached_input_per_mtok === undefined ? inputPrice : toPicoPerToken(price.cached_input_per_mtok);
  const writePrice = price.cache_write_per_mtok === undefined ? inputPrice : toPicoPerToken(price.cache_write_per_mtok);
  const separateReasoning = price.reasoning_per_mtok !== undefined;

  const parts = {
    input: uncached * inputPrice,
    cached: cacheRead * cachedPrice,
    write: cacheWrite * writePrice,
    output: (separateReasoning ? output - reasoning : output) * outputPrice,
    reasoning: separateReasoning ? reasoning * toPicoPerToken(price.reasoning_per_mtok ?? 0) : 0n,
  };
  const total = parts.input + parts.cached + parts.write + parts.output + parts.reasoning;
  return {
    cost_usd: toUsd(total),
    cost: {
      input_usd: toUsd(parts.input),
      output_usd: toUsd(parts.output),
      cached_input_usd: toUsd(parts.cached),
      cache_write_usd: toUsd(parts.write),
      reasoning_usd: toUsd(parts.reasoning),
    },
    pricing_unknown: false,
  };
}

const minBig = (a: bigint, b: bigint): bigint => (a < b ? a : b);
const maxBig = (a: bigint, b: bigint): bigint => (a > b ? a : b);

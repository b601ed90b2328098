import type { Usage } from '@gatehouse/formats';
import { BUILT_IN_CATALOGUE } from './catalogue';
import { computeCost } from './compute-cost';
import { normaliseModelName } from './normalise';
import { PriceBook } from './price-book';

const usage = (u: Partial<Usage>): Usage => ({
  input_tokens: 0,
  output_tokens: 0,
  cache_read_tokens: 0,
  cache_write_tokens: 0,
  reasoning_tokens: 0,
  ...u,
});

describe('built-in catalogue', () => {
  it('records when it was checked and where the prices come from', () => {
    expect(BUILT_IN_CATALOGUE.checked_at).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(BUILT_IN_CATALOGUE.sources.some((s) => s.includes('litellm'))).toBe(true);
    expect(BUILT_IN_CATALOGUE.sources.some((s) => s.includes('langfuse'))).toBe(true);
  });
});

describe('cost of a request at list price (expected values worked out by hand)', () => {
  const book = new PriceBook({});
  const table: Array<[string, string, Partial<Usage>, number]> = [
    // 600 × 2.50 + 400 cached × 1.25 + 500 × 10.00, per million
    ['openai', 'gpt-4o-2024-08-06', { input_tokens: 1000, cache_read_tokens: 400, output_tokens: 500 }, 0.007],
    // 5000 × 3 + 2000 read × 0.30 + 3000 write × 3.75 + 1000 × 15
    ['anthropic', 'claude-3-5-sonnet-20241022', { input_tokens: 10000, cache_read_tokens: 2000, cache_write_tokens: 3000, output_tokens: 1000 }, 0.04185],
    // reasoning has no separate price: 3000 output (2500 of it reasoning) × 4.40 + 2000 × 1.10
    ['openai', 'o3-mini-2025-01-31', { input_tokens: 2000, output_tokens: 3000, reasoning_tokens: 2500 }, 0.0154],
    ['bedrock', 'us.anthropic.claude-3-5-haiku-20241022-v1:0', { input_tokens: 1_000_000 }, 0.8],
    // 500k × 0.10 + 500k cached × 0.025 + 100k × 0.40
    ['gemini', 'models/gemini-2.0-flash-001', { input_tokens: 1_000_000, cache_read_tokens: 500_000, output_tokens: 100_000 }, 0.1025],
    ['bedrock', 'meta.llama3-3-70b-instruct-v1:0', { input_tokens: 1234, output_tokens: 567 }, 0.00129672],
    ['openai-compatible', 'deepseek-chat', { input_tokens: 1_000_000, cache_read_tokens: 1_000_000 }, 0.028],
    ['openai', 'gpt-5-nano', { input_tokens: 3, output_tokens: 7 }, 0.00000295],
    ['anthropic', 'claude-opus-4-1-20250805', { input_tokens: 100, output_tokens: 100 }, 0.009],
    ['gemini', 'gemini-2.5-pro', { input_tokens: 1000, output_tokens: 2000, reasoning_tokens: 1500 }, 0.02125],
    ['openai', 'text-embedding-3-small', { input_tokens: 50_000 }, 0.001],
  ];
  it.each(table)('%s %s', (type, model, u, expected) => {
    const result = computeCost(usage(u), book.lookup(type, model));
    expect(result.pricing_unknown).toBe(false);
    expect(result.cost_usd).toBe(expected);
  });

  it('splits the cost into its parts', () => {
    const result = computeCost(
      usage({ input_tokens: 10000, cache_read_tokens: 2000, cache_write_tokens: 3000, output_tokens: 1000 }),
      book.lookup('anthropic', 'claude-3-5-sonnet-20241022'),
    );
    expect(result.cost).toEqual({ input_usd: 0.015, cached_input_usd: 0.0006, cache_write_usd: 0.01125, output_usd: 0.015, reasoning_usd: 0 });
  });

  it('has no floating-point drift on many small amounts', () => {
    const result = computeCost(usage({ input_tokens: 3 }), { input_per_mtok: 0.1, output_per_mtok: 0.2 });
    expect(result.cost_usd).toBe(0.0000003);
  });

  it('bills reasoning at its own price only when one is set', () => {
    const overridden = new PriceBook({ 'openai/o3': { input_per_mtok: 2, output_per_mtok: 8, reasoning_per_mtok: 4 } });
    const result = computeCost(usage({ output_tokens: 1000, reasoning_tokens: 600 }), overridden.lookup('openai', 'o3'));
    expect(result.cost).toMatchObject({ output_usd: 0.0032, reasoning_usd: 0.0024 });
    expect(result.cost_usd).toBe(0.0056);
  });
});

describe('model name normalisation', () => {
  it.each([
    ['gpt-4o-2024-08-06', 'gpt-4o'],
    ['gpt-4-0613', 'gpt-4'],
    ['claude-3-5-sonnet-20241022', 'claude-3-5-sonnet'],
    ['claude-3-7-sonnet-latest', 'claude-3-7-sonnet'],
    ['us.anthropic.claude-sonnet-4-20250514-v1:0', 'claude-sonnet-4'],
    ['anthropic.claude-3-haiku-20240307-v1:0', 'claude-3-haiku'],
    ['claude-3-5-sonnet-v2@20241022', 'claude-3-5-sonnet'],
    ['models/gemini-1.5-pro-002', 'gemini-1.5-pro'],
    ['anthropic/claude-3.5-sonnet', 'claude-3-5-sonnet'],
    ['mistral-large-latest', 'mistral-large'],
    ['us.meta.llama3-1-8b-instruct-v1:0', 'meta.llama3-1-8b-instruct'],
  ])('%s → %s', (raw, expected) => {
    expect(normaliseModelName(raw)).toBe(expected);
  });
});

describe('PriceBook lookup', () => {
  it('prices dated snapshots like their family', () => {
    const book = new PriceBook({});
    expect(book.lookup('openai', 'gpt-4o-mini-2024-07-18')).toEqual(book.lookup('openai', 'gpt-4o-mini'));
    expect(book.lookup('anthropic', 'claude-sonnet-4-5-20250929')?.input_per_mtok).toBe(3);
  });

  it('lets a bare-model override replace the list price', () => {
    const book = new PriceBook({ 'gpt-4o': { input_per_mtok: 1, output_per_mtok: 2 } });
    expect(book.lookup('openai', 'gpt-4o')).toEqual({ input_per_mtok: 1, output_per_mtok: 2 });
    expect(book.lookup('azure-openai', 'gpt-4o-2024-11-20')).toEqual({ input_per_mtok: 1, output_per_mtok: 2 });
  });

  it('prefers a "<provider type>/<model>" override to a bare one', () => {
    const book = new PriceBook({
      'gpt-4o': { input_per_mtok: 1, output_per_mtok: 2 },
      'azure-openai/gpt-4o': { input_per_mtok: 5, output_per_mtok: 6 },
    });
    expect(book.lookup('azure-openai', 'gpt-4o')?.input_per_mtok).toBe(5);
    expect(book.lookup('openai', 'gpt-4o')?.input_per_mtok).toBe(1);
  });

  it('adds prices for models the catalogue does not know', () => {
    const book = new PriceBook({ 'openai-compatible/qwen2.5-7b': { input_per_mtok: 0.05, output_per_mtok: 0.1 } });
    const result = computeCost(usage({ input_tokens: 1_000_000, output_tokens: 1_000_000 }), book.lookup('openai-compatible', 'qwen2.5-7b'));
    expect(result.cost_usd).toBe(0.15);
  });

  it('reports an unknown model as unknown, never as free', () => {
    const book = new PriceBook({});
    const price = book.lookup('openai-compatible', 'my-private-finetune');
    expect(price).toBeNull();
    expect(computeCost(usage({ input_tokens: 100, output_tokens: 100 }), price)).toEqual({ cost_usd: null, cost: null, pricing_unknown: true });
  });

  it('prices the built-in mock provider at zero', () => {
    const book = new PriceBook({});
    const result = computeCost(usage({ input_tokens: 100, output_tokens: 100 }), book.lookup('mock', 'anything'));
    expect(result).toMatchObject({ cost_usd: 0, pricing_unknown: false });
  });
});

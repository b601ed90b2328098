/** Public surface of libs/pricing: the price book and cost calculation. */
export * from './compute-cost';
export * from './price-book';

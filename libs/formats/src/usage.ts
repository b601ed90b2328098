import type { Usage } from './canonical';

/** Apply a partial usage report: later values replace earlier ones field by field. */
export function mergeUsage(into: Usage, update: Partial<Usage>): void {
  if (update.input_tokens !== undefined) into.input_tokens = update.input_tokens;
  if (update.output_tokens !== undefined) into.output_tokens = update.output_tokens;
  if (update.cache_read_tokens !== undefined) into.cache_read_tokens = update.cache_read_tokens;
  if (update.cache_write_tokens !== undefined) into.cache_write_tokens = update.cache_write_tokens;
  if (update.reasoning_tokens !== undefined) into.reasoning_tokens = update.reasoning_tokens;
}

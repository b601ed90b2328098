/**
 * A config record's entry by a name that may come from a client (a model name) or from the file (a
 * provider name): only the record's own entries count, so `constructor`, `__proto__` or `toString`
 * is simply not configured instead of reaching Object.prototype.
 */
export function own<T>(record: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

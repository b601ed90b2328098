import type { ResponseFormat } from '@gatehouse/formats';
import { sample } from 'openapi-sampler';

/**
 * The mock's answer to a structured-output request: a JSON document valid against the requested
 * schema (sampled with openapi-sampler, which resolves local $refs against the schema itself),
 * or a small JSON object for json_object. Null for plain text.
 */
export function structuredAnswer(format: ResponseFormat | undefined, echo: string): string | null {
  if (!format || format.type === 'text') return null;
  if (format.type === 'json_object') return JSON.stringify({ answer: echo });
  const schema = format.schema as Parameters<typeof sample>[0];
  return JSON.stringify(sample(schema, { skipReadOnly: true, quiet: true }, schema));
}

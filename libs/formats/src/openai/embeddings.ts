import { z } from 'zod';
import type { CanonicalEmbeddingsRequest, CanonicalEmbeddingsResponse } from '../canonical';
import { invalidRequest } from '@gatehouse/contracts';
import { parseBody } from '../zod-error';

export const OpenAIEmbeddingsRequestSchema = z.strictObject({
  model: z.string().min(1),
  input: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
    error: 'expected a non-empty string or a non-empty array of strings',
  }),
  dimensions: z.number().int().positive().nullable().optional(),
  encoding_format: z.enum(['float', 'base64']).nullable().optional(),
  user: z.string().optional(),
});

const isTokenArray = (input: unknown): boolean =>
  Array.isArray(input) && input.some((item) => typeof item === 'number' || Array.isArray(item));

/** OpenAI /v1/embeddings body → canonical request. Token-id inputs cannot be translated across tokenizers: 400. */
export function decodeOpenAIEmbeddings(body: unknown): { request: CanonicalEmbeddingsRequest } {
  if (body !== null && typeof body === 'object' && isTokenArray((body as { input?: unknown }).input)) {
    throw invalidRequest('input: token arrays are not supported by Gatehouse; send text', 'input');
  }
  const b = parseBody(OpenAIEmbeddingsRequestSchema, body);
  const request: CanonicalEmbeddingsRequest = {
    model: b.model,
    input: typeof b.input === 'string' ? [b.input] : b.input,
  };
  if (b.dimensions != null) request.dimensions = b.dimensions;
  if (b.encoding_format != null) request.encoding_format = b.encoding_format;
  if (b.user !== undefined) request.user = b.user;
  return { request };
}

function toBase64(vector: number[]): string {
  const floats = Float32Array.from(vector);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString('base64');
}

/** Canonical embeddings → OpenAI's `list` object; vectors as base64 little-endian float32 when asked for. */
export function encodeOpenAIEmbeddings(
  res: CanonicalEmbeddingsResponse,
  opts: { model: string; encoding_format?: 'float' | 'base64' },
): object {
  const base64 = opts.encoding_format === 'base64';
  return {
    object: 'list',
    data: res.data.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: base64 ? toBase64(vector) : vector,
    })),
    model: opts.model,
    usage: { prompt_tokens: res.usage.input_tokens, total_tokens: res.usage.input_tokens },
  };
}

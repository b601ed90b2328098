import { createHash } from 'node:crypto';
import { textOf } from '../plan';

export const DEFAULT_DIMENSIONS = 16;

/** A deterministic unit vector derived from the text. */
export function embed(text: string, dimensions: number): number[] {
  const values: number[] = [];
  let block = createHash('sha256').update(text).digest();
  while (values.length < dimensions) {
    for (let i = 0; i + 1 < block.length && values.length < dimensions; i += 2) values.push(block.readUInt16BE(i) / 32767.5 - 1);
    block = createHash('sha256').update(block).digest();
  }
  const norm = Math.sqrt(values.reduce((s, v) => s + v * v, 0)) || 1;
  return values.map((v) => Math.fround(v / norm));
}

const tokensOf = (text: string): number => Math.max(1, Math.ceil(text.length / 4));

export function openAIEmbeddings(body: Record<string, unknown>): string {
  const raw = body.input;
  const inputs: string[] = Array.isArray(raw) ? raw.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))) : [typeof raw === 'string' ? raw : ''];
  const dimensions = typeof body.dimensions === 'number' && body.dimensions > 0 ? Math.min(body.dimensions, 4096) : DEFAULT_DIMENSIONS;
  const base64 = body.encoding_format === 'base64';
  const tokens = inputs.reduce((n, t) => n + tokensOf(t), 0);
  return JSON.stringify({
    object: 'list',
    data: inputs.map((text, index) => {
      const vector = embed(text, dimensions);
      return { object: 'embedding', index, embedding: base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector };
    }),
    model: typeof body.model === 'string' ? body.model : 'mock-embedding',
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}

export function geminiBatchEmbeddings(body: Record<string, unknown>): string {
  const requests = Array.isArray(body.requests) ? (body.requests as Array<{ content?: { parts?: unknown }; outputDimensionality?: number }>) : [];
  return JSON.stringify({
    embeddings: requests.map((r) => ({ values: embed(textOf(r.content?.parts ?? ''), r.outputDimensionality ?? DEFAULT_DIMENSIONS) })),
  });
}

export const MOCK_MODELS = ['gpt-4o-mini', 'gpt-4o', 'text-embedding-3-small', 'claude-3-5-haiku-20241022', 'mock-model'];

export function modelsList(anthropic: boolean): string {
  if (anthropic) {
    const data = MOCK_MODELS.map((id) => ({ type: 'model', id, display_name: id, created_at: '2024-10-22T00:00:00Z' }));
    return JSON.stringify({ data, has_more: false, first_id: data[0].id, last_id: data[data.length - 1].id });
  }
  return JSON.stringify({ object: 'list', data: MOCK_MODELS.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'mock' })) });
}

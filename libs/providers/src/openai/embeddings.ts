import type { CanonicalEmbeddingsRequest, CanonicalEmbeddingsResponse } from '@gatehouse/formats';
import { GatewayError } from '@gatehouse/contracts';

/**
 * The gateway always asks for floats; a client that wanted base64 gets it re-encoded by its codec.
 * (Servers that answer base64 anyway are decoded below.)
 */
export function buildEmbeddingsBody(req: CanonicalEmbeddingsRequest, upstreamModel: string): Record<string, unknown> {
  const body: Record<string, unknown> = { model: upstreamModel, input: req.input, encoding_format: 'float' };
  if (req.dimensions !== undefined) body.dimensions = req.dimensions;
  if (req.user !== undefined) body.user = req.user;
  return body;
}

interface EmbeddingsJson {
  model?: string;
  data?: Array<{ index?: number; embedding?: number[] | string }>;
  usage?: { prompt_tokens?: number; total_tokens?: number };
}

function decodeBase64Floats(b64: string): number[] {
  const buf = Buffer.from(b64, 'base64');
  const floats = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength >>> 2);
  return Array.from(floats);
}

export function parseEmbeddings(body: string, upstreamModel: string): CanonicalEmbeddingsResponse {
  let json: EmbeddingsJson;
  try {
    json = JSON.parse(body) as EmbeddingsJson;
  } catch {
    throw new GatewayError(502, 'upstream_error', 'upstream returned malformed embeddings: not JSON');
  }
  if (!Array.isArray(json.data)) throw new GatewayError(502, 'upstream_error', 'upstream returned malformed embeddings: no data');
  const data: number[][] = new Array<number[]>(json.data.length);
  json.data.forEach((item, i) => {
    const e = item.embedding ?? [];
    data[item.index ?? i] = typeof e === 'string' ? decodeBase64Floats(e) : e;
  });
  return {
    model: json.model || upstreamModel,
    data,
    usage: { input_tokens: json.usage?.prompt_tokens ?? json.usage?.total_tokens ?? 0 },
  };
}

import { GatewayError } from '@gatehouse/contracts';
import { decodeOpenAIEmbeddings, encodeOpenAIEmbeddings } from './embeddings';

function errorOf(body: unknown): GatewayError {
  try {
    decodeOpenAIEmbeddings(body);
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error('expected a GatewayError');
}

describe('OpenAI embeddings codec', () => {
  it('decodes a string or an array of strings', () => {
    expect(decodeOpenAIEmbeddings({ model: 'e', input: 'hello' }).request).toEqual({ model: 'e', input: ['hello'] });
    expect(
      decodeOpenAIEmbeddings({ model: 'e', input: ['a', 'b'], dimensions: 256, encoding_format: 'base64', user: 'u' }).request,
    ).toEqual({ model: 'e', input: ['a', 'b'], dimensions: 256, encoding_format: 'base64', user: 'u' });
  });

  it.each([
    [{ model: 'e', input: [1, 2, 3] }, 'input', 'token arrays are not supported'],
    [{ model: 'e', input: [[1, 2]] }, 'input', 'token arrays are not supported'],
    [{ model: 'e', input: [] }, 'input', 'expected array to have >=1 items'],
    [{ model: 'e', input: ['a', ''] }, 'input[1]', 'expected string to have >=1 characters'],
    [{ model: 'e', input: 'a', encoding_format: 'int8' }, 'encoding_format', 'expected one of'],
    [{ input: 'a' }, 'model', 'is required'],
  ])('rejects %j naming the field', (body, param, message) => {
    const err = errorOf(body);
    expect(err.status).toBe(400);
    expect(err.param).toBe(param);
    expect(err.message).toContain(message);
  });

  it('encodes float vectors, and base64 little-endian float32 when asked', () => {
    const res = { model: 'text-embedding-3-small', data: [[0.5, -1.25], [3, 0]], usage: { input_tokens: 7 } };
    expect(encodeOpenAIEmbeddings(res, { model: 'emb' })).toEqual({
      object: 'list',
      data: [
        { object: 'embedding', index: 0, embedding: [0.5, -1.25] },
        { object: 'embedding', index: 1, embedding: [3, 0] },
      ],
      model: 'emb',
      usage: { prompt_tokens: 7, total_tokens: 7 },
    });
    const b64 = encodeOpenAIEmbeddings(res, { model: 'emb', encoding_format: 'base64' }) as {
      data: Array<{ embedding: string }>;
    };
    const bytes = Buffer.from(b64.data[0]!.embedding, 'base64');
    expect([bytes.readFloatLE(0), bytes.readFloatLE(4)]).toEqual([0.5, -1.25]);
  });
});

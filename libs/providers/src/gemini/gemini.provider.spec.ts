import type { GeminiConfig } from './gemini.config';
import { createGeminiProvider } from './gemini.provider';
import { geminiFixture } from './fixture';

const config = (over: Partial<GeminiConfig> = {}): GeminiConfig => ({ type: 'gemini', api_key: 'AIzaSyTESTKEY000000000000000000000000', max_connections: 8, ...over });
const req = { model: 'g', system: [], messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'hi' }] }], stream: false };

describe('createGeminiProvider', () => {
  it('puts the key in x-goog-api-key and never in the URL', async () => {
    const p = createGeminiProvider(config());
    const up = await p.chatRequest(req, 'gemini-2.0-flash');
    expect(up.url).toBe('https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent');
    expect(up.url).not.toContain('AIza');
    expect(up.headers['x-goog-api-key']).toBe('AIzaSyTESTKEY000000000000000000000000');
  });

  it('streams through streamGenerateContent with alt=sse on the configured base URL', async () => {
    const p = createGeminiProvider(config({ base_url: 'http://127.0.0.1:9999/proxy/' }));
    const up = await p.chatRequest({ ...req, stream: true }, 'gemini-2.5-pro');
    expect(up.url).toBe('http://127.0.0.1:9999/proxy/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse');
  });

  it('builds batchEmbedContents requests', async () => {
    const p = createGeminiProvider(config());
    const up = await p.embeddingsRequest!({ model: 'e', input: ['a', 'b'], dimensions: 768 }, 'gemini-embedding-001');
    expect(up.url).toBe('https://generativelanguage.googleapis.com/v1beta/models/gemini-embedding-001:batchEmbedContents');
    expect(JSON.parse(up.body)).toEqual({
      requests: [
        { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'a' }] }, outputDimensionality: 768 },
        { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'b' }] }, outputDimensionality: 768 },
      ],
    });
  });

  it('counts tokens at :countTokens with the generation request it would send (no generationConfig)', async () => {
    const p = createGeminiProvider(config());
    const up = await p.countTokensRequest!({ body: {}, request: { ...req, max_tokens: 5 } }, 'gemini-2.5-flash');
    expect(up.url).toBe('https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:countTokens');
    expect(JSON.parse(up.body)).toEqual({ generateContentRequest: { model: 'models/gemini-2.5-flash', contents: [{ role: 'user', parts: [{ text: 'hi' }] }] } });
    expect(p.parseTokenCount!('{"totalTokens":3}', 'gemini-2.5-flash')).toBe(3);
  });

  it('reads Gemini error bodies and keeps keys out of messages', () => {
    const p = createGeminiProvider(config());
    expect(p.parseError(429, geminiFixture('error-rate-limit.json'))).toEqual({
      type: 'RESOURCE_EXHAUSTED',
      message: expect.stringContaining('You exceeded your current quota'),
    });
    expect(p.parseError(400, geminiFixture('error-invalid-argument.json')).type).toBe('INVALID_ARGUMENT');
    expect(p.parseError(400, geminiFixture('error-bad-key.json')).message).toBe('API key not valid. Please pass a valid API key.');
    const leaked = p.parseError(403, '{"error":{"code":403,"message":"key AIzaSyTESTKEY000000000000000000000000 is suspended","status":"PERMISSION_DENIED"}}');
    expect(leaked.message).not.toContain('AIzaSyTESTKEY');
  });
});

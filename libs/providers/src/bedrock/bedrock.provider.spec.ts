import type { BedrockConfig } from './bedrock.config';
import { createBedrockProvider } from './bedrock.provider';
import { bedrockFixture } from './fixture';

const config = (over: Partial<BedrockConfig> = {}): BedrockConfig => ({
  type: 'bedrock',
  region: 'us-east-1',
  access_key_id: 'AKIAIOSFODNN7EXAMPLE',
  secret_access_key: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  max_connections: 8,
  ...over,
});
const req = { model: 'c', system: [], messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'hi' }] }], stream: false };
const MODEL = 'anthropic.claude-3-5-sonnet-20240620-v1:0';

describe('createBedrockProvider', () => {
  it('posts a signed request to the regional converse endpoint with the model id URL-encoded', async () => {
    const p = createBedrockProvider(config());
    const up = await p.chatRequest(req, MODEL);
    expect(up.url).toBe('https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse');
    expect(up.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/us-east-1\/bedrock\/aws4_request/);
    expect(JSON.parse(up.body)).toEqual({ messages: [{ role: 'user', content: [{ text: 'hi' }] }] });
  });

  it('streams through converse-stream asking for an event stream', async () => {
    const p = createBedrockProvider(config({ base_url: 'http://127.0.0.1:4566' }));
    const up = await p.chatRequest({ ...req, stream: true }, 'amazon.nova-pro-v1:0');
    expect(up.url).toBe('http://127.0.0.1:4566/model/amazon.nova-pro-v1%3A0/converse-stream');
    expect(up.headers.accept).toBe('application/vnd.amazon.eventstream');
    expect(up.headers.host).toBe('127.0.0.1:4566');
  });

  it('uses a Bedrock API key as a bearer token when no access keys are configured', async () => {
    const p = createBedrockProvider(config({ access_key_id: undefined, secret_access_key: undefined, api_key: 'ABSKbedrockapikey' }));
    const up = await p.chatRequest(req, MODEL);
    expect(up.headers.authorization).toBe('Bearer ABSKbedrockapikey');
  });

  it('offers no embeddings', () => {
    expect(createBedrockProvider(config()).embeddingsRequest).toBeUndefined();
  });

  it('reads Bedrock error bodies and masks credentials in them', () => {
    const p = createBedrockProvider(config());
    expect(p.parseError(429, bedrockFixture('error-throttling.json'))).toEqual({
      type: 'ThrottlingException', message: 'Too many requests, please wait before trying again.',
    });
    expect(p.parseError(400, bedrockFixture('error-validation.json')).type).toBe('ValidationException');
    const denied = p.parseError(403, bedrockFixture('error-access-denied.json'));
    expect(denied.type).toBe('AccessDeniedException');
    expect(denied.message).toContain('is not authorized to perform: bedrock:InvokeModelWithResponseStream');
    const leak = p.parseError(403, '{"message":"The security token included in the request is invalid: AKIAIOSFODNN7EXAMPLE / wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}');
    expect(leak.message).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(leak.message).not.toContain('wJalrXUtnFEMI');
  });

  it('speaks Anthropic natively for Anthropic models only (also through cross-region profiles)', () => {
    const p = createBedrockProvider(config());
    expect(p.nativeFormat).toBeNull();
    expect(p.nativeFormatFor?.('anthropic.claude-3-5-haiku-20241022-v1:0')).toBe('anthropic');
    expect(p.nativeFormatFor?.('us.anthropic.claude-sonnet-4-20250514-v1:0')).toBe('anthropic');
    expect(p.nativeFormatFor?.('amazon.nova-pro-v1:0')).toBeNull();
    expect(p.nativeFormatFor?.('meta.llama3-70b-instruct-v1:0')).toBeNull();
  });

  it('passes an Anthropic body through InvokeModel, signed, without model or stream, with the beta header in the body', async () => {
    const p = createBedrockProvider(config());
    const body = { model: 'claude', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }], future_field: { x: 1 } };
    const up = await p.passthroughRequest!(body, MODEL, { 'anthropic-beta': 'pdfs-2024-09-25', 'anthropic-version': '2023-06-01' });
    expect(up.url).toBe('https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/invoke');
    expect(up.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/us-east-1\/bedrock\/aws4_request/);
    expect(up.headers.accept).toBe('application/json');
    expect(up.headers['anthropic-beta']).toBeUndefined();
    expect(up.headers['anthropic-version']).toBeUndefined();
    expect(JSON.parse(up.body)).toEqual({
      max_tokens: 10, messages: [{ role: 'user', content: 'hi' }], future_field: { x: 1 }, anthropic_version: 'bedrock-2023-05-31', anthropic_beta: ['pdfs-2024-09-25'],
    });
  });

  it('streams a pass-through through invoke-with-response-stream asking for an event stream', async () => {
    const p = createBedrockProvider(config({ base_url: 'http://127.0.0.1:4566' }));
    const up = await p.passthroughRequest!({ model: 'x', stream: true, max_tokens: 5, messages: [] }, 'us.anthropic.claude-3-5-haiku-20241022-v1:0', null);
    expect(up.url).toBe('http://127.0.0.1:4566/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/invoke-with-response-stream');
    expect(up.headers.accept).toBe('application/vnd.amazon.eventstream');
    expect(JSON.parse(up.body)).toEqual({ max_tokens: 5, messages: [], anthropic_version: 'bedrock-2023-05-31' });
  });

  it('reads the InvokeModel answer (Anthropic Messages JSON) for usage and content', () => {
    const parsed = createBedrockProvider(config()).passthroughResponse!.parse(bedrockFixture('invoke-message.response.json'), MODEL);
    expect(parsed.usage).toMatchObject({ input_tokens: 1650, output_tokens: 19 });
    expect(parsed.content).toEqual([expect.objectContaining({ type: 'text', text: 'The document is a one-page PDF with an empty catalog.' })]);
    expect(parsed.stop_reason).toBe('end_turn');
  });
});

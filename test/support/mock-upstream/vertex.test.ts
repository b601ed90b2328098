import { generateKeyPairSync } from 'node:crypto';
import { importPKCS8, SignJWT } from 'jose';
import { startMockUpstream, type MockUpstream } from './server';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
const SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
const CLAUDE = '/v1/projects/p/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5';
const GEMINI = '/v1/projects/p/locations/us-east5/publishers/google/models/gemini-2.0-flash-001';

describe('mock upstream: Vertex AI wire formats and token endpoint', () => {
  let mock: MockUpstream;
  beforeAll(async () => {
    mock = await startMockUpstream();
  });
  afterAll(() => mock.close());

  const grant = async (claims: Record<string, unknown>, audience = `${mock.url}/token`) => {
    const jwt = await new SignJWT({ scope: SCOPE, ...claims }).setProtectedHeader({ alg: 'RS256' }).setIssuedAt().setExpirationTime('1h')
      .setIssuer('sa@p.iam.gserviceaccount.com').setAudience(audience).sign(await importPKCS8(privateKey, 'RS256'));
    const res = await fetch(`${mock.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwt }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const post = (path: string, body: unknown, token?: string) =>
    fetch(`${mock.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });

  it('grants a token for a well-formed JWT bearer assertion and refuses a wrong scope or audience', async () => {
    const ok = await grant({});
    expect(ok).toEqual({ status: 200, body: { access_token: expect.stringMatching(/^ya29\.mock-/), expires_in: 3599, token_type: 'Bearer' } });
    expect((await grant({ scope: 'https://www.googleapis.com/auth/drive' })).body.error).toBe('invalid_scope');
    expect((await grant({}, 'https://elsewhere/token')).body.error).toBe('invalid_grant');
  });

  it('answers Vertex routes only with a granted token, and holds Claude bodies to the Vertex rules', async () => {
    const messages = [{ role: 'user', content: 'hi' }];
    const denied = await post(`${CLAUDE}:rawPredict`, { anthropic_version: 'vertex-2023-10-16', max_tokens: 5, messages }, 'ya29.unknown');
    expect(denied.status).toBe(401);
    expect(((await denied.json()) as { error: { status: string } }).error.status).toBe('UNAUTHENTICATED');
    const token = (await grant({})).body.access_token as string;
    const withModel = await post(`${CLAUDE}:rawPredict`, { anthropic_version: 'vertex-2023-10-16', model: 'claude', max_tokens: 5, messages }, token);
    expect(withModel.status).toBe(400);
    const noVersion = await post(`${CLAUDE}:rawPredict`, { max_tokens: 5, messages }, token);
    expect(((await noVersion.json()) as { error: { message: string } }).error.message).toMatch(/^anthropic_version/);
    const ok = await post(`${CLAUDE}:rawPredict`, { anthropic_version: 'vertex-2023-10-16', max_tokens: 5, messages }, token);
    expect(await ok.json()).toMatchObject({ type: 'message', model: 'claude-sonnet-4-5', content: [{ type: 'text', text: 'Hello from the mock upstream.' }] });
    const stream = await post(`${GEMINI}:streamGenerateContent?alt=sse`, { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }, token);
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    expect(await stream.text()).toContain('"finishReason":"STOP"');
    const count = await post(`${GEMINI}:countTokens`, { contents: [{ role: 'user', parts: [{ text: 'count me' }] }] }, token);
    expect(await count.json()).toEqual({ totalTokens: expect.any(Number), totalBillableCharacters: expect.any(Number) });
  });
});

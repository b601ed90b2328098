import { createHash, createHmac } from 'node:crypto';
import { BedrockSigner } from './signer';

const creds = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const DATE = new Date('2025-03-14T09:26:53Z');
const input = {
  url: 'https://bedrock-runtime.eu-west-1.amazonaws.com/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse',
  headers: { 'content-type': 'application/json', accept: 'application/json' },
  body: '{"messages":[{"role":"user","content":[{"text":"hi"}]}]}',
  signingDate: DATE,
};

const parseAuth = (auth: string) => {
  const m = /^AWS4-HMAC-SHA256 Credential=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m) throw new Error(`unexpected Authorization: ${auth}`);
  return { credential: m[1], signedHeaders: m[2].split(';'), signature: m[3] };
};

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const hmac = (key: Buffer | string, s: string) => createHmac('sha256', key).update(s).digest();

/** An independent SigV4 computation from the AWS spec, over what is actually sent. */
function expectedSignature(url: string, sent: Record<string, string>, body: string, signed: string[]): string {
  const u = new URL(url);
  // Non-S3 services sign the URI-encoded form of the already-encoded path.
  const canonicalUri = u.pathname.split('/').map((seg) => encodeURIComponent(seg)).join('/');
  const canonicalHeaders = signed.map((h) => `${h}:${sent[h].trim()}\n`).join('');
  const canonical = ['POST', canonicalUri, '', canonicalHeaders, signed.join(';'), sha256(body)].join('\n');
  const date = sent['x-amz-date'];
  const scope = `${date.slice(0, 8)}/eu-west-1/bedrock/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', date, scope, sha256(canonical)].join('\n');
  let key = hmac(`AWS4${creds.secretAccessKey}`, date.slice(0, 8));
  for (const part of ['eu-west-1', 'bedrock', 'aws4_request']) key = hmac(key, part);
  return createHmac('sha256', key).update(toSign).digest('hex');
}

describe('BedrockSigner', () => {
  it('produces the SigV4 signature of exactly the URL, headers and body that are sent', async () => {
    const headers = await new BedrockSigner('eu-west-1', creds).sign(input);
    const auth = parseAuth(headers.authorization);
    expect(headers['x-amz-content-sha256']).toBe(sha256(input.body));
    expect(auth.signature).toBe(expectedSignature(input.url, headers, input.body, auth.signedHeaders));
  });

  it('signs with the bedrock credential scope and the headers that are sent', async () => {
    const headers = await new BedrockSigner('eu-west-1', creds).sign(input);
    const auth = parseAuth(headers.authorization);
    expect(auth.credential).toBe('AKIAIOSFODNN7EXAMPLE/20250314/eu-west-1/bedrock/aws4_request');
    expect(auth.signedHeaders).toEqual(['accept', 'content-type', 'host', 'x-amz-content-sha256', 'x-amz-date']);
    expect(headers['x-amz-date']).toBe('20250314T092653Z');
    expect(headers.host).toBe('bedrock-runtime.eu-west-1.amazonaws.com');
    expect(headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(headers)).not.toContain(creds.secretAccessKey);
  });

  it('is deterministic for the same inputs and changes with the body, the path or the key', async () => {
    const signer = new BedrockSigner('eu-west-1', creds);
    const sig = async (over: Partial<typeof input> = {}, s = signer) => parseAuth((await s.sign({ ...input, ...over })).authorization).signature;
    const a = await sig();
    expect(await sig()).toBe(a);
    expect(await sig({ body: input.body.replace('hi', 'ho') })).not.toBe(a);
    expect(await sig({ url: input.url.replace('/converse', '/converse-stream') })).not.toBe(a);
    expect(await sig({}, new BedrockSigner('eu-west-1', { ...creds, secretAccessKey: 'other' }))).not.toBe(a);
    expect(await sig({ signingDate: new Date('2025-03-14T09:26:54Z') })).not.toBe(a);
  });

  it('signs the session token when temporary credentials are used', async () => {
    const headers = await new BedrockSigner('us-east-1', { ...creds, sessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN' }).sign(input);
    expect(headers['x-amz-security-token']).toBe('FwoGZXIvYXdzEXAMPLETOKEN');
    expect(parseAuth(headers.authorization).signedHeaders).toContain('x-amz-security-token');
    expect(parseAuth(headers.authorization).credential).toContain('/us-east-1/bedrock/');
  });
});

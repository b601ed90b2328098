import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { importSPKI, jwtVerify } from 'jose';
import { readFixture } from '../shared/testing';
import { CLOUD_PLATFORM_SCOPE, ServiceAccountTokenSource } from './token-source';

const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const account = { type: 'service_account' as const, client_email: 'gateway@acme-prod.iam.gserviceaccount.com', private_key: privateKey, private_key_id: 'kid-0001' };

interface Exchange {
  contentType: string | undefined;
  form: URLSearchParams;
}

let server: Server;
let url: string;
let exchanges: Exchange[];
let answer: { status: number; body: string; delayMs?: number };

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      exchanges.push({ contentType: req.headers['content-type'], form: new URLSearchParams(raw) });
      setTimeout(() => {
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(answer.body);
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  exchanges = [];
  answer = { status: 200, body: readFixture('vertex', 'token.response.json') };
});

describe('ServiceAccountTokenSource', () => {
  it('exchanges an RS256 JWT (issuer, audience, scope, kid) signed with the account key for an access token', async () => {
    const source = new ServiceAccountTokenSource(account, url);
    await expect(source.token()).resolves.toBe('ya29.c.c0ASRK0GZ-mock-vertex-access-token-0001');
    expect(exchanges).toHaveLength(1);
    const { contentType, form } = exchanges[0];
    expect(contentType).toBe('application/x-www-form-urlencoded');
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const { payload, protectedHeader } = await jwtVerify(form.get('assertion')!, await importSPKI(publicKey, 'RS256'), {
      issuer: account.client_email,
      audience: url,
    });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'JWT', kid: 'kid-0001' });
    expect(payload.scope).toBe(CLOUD_PLATFORM_SCOPE);
    expect(payload.exp! - payload.iat!).toBe(3600);
  });

  it('keeps the token until shortly before it expires, and shares one exchange between concurrent callers', async () => {
    let now = 1_750_000_000_000;
    const source = new ServiceAccountTokenSource(account, url, () => now);
    answer.delayMs = 50;
    const tokens = await Promise.all([source.token(), source.token(), source.token()]);
    expect(new Set(tokens).size).toBe(1);
    expect(exchanges).toHaveLength(1);
    now += 54 * 60_000; // 54 of the token's 60 minutes
    await source.token();
    expect(exchanges).toHaveLength(1);
    now += 2 * 60_000; // within 5 minutes of expiry: renewed
    await source.token();
    expect(exchanges).toHaveLength(2);
  });

  it('fails with the endpoint\'s reason, never the key, the assertion or a token, and tries again on the next call', async () => {
    const source = new ServiceAccountTokenSource(account, url);
    answer = { status: 400, body: readFixture('vertex', 'token-invalid-grant.json') };
    const err = (await source.token().catch((e: unknown) => e)) as Error;
    expect(err.message).toBe('vertex token exchange failed: 400 invalid_grant: Invalid JWT Signature.');
    expect(err.message).not.toContain(exchanges[0].form.get('assertion')!.slice(0, 20));
    answer = { status: 200, body: '{"error":"x","error_description":"leaked ya29.a0AfH6SMsecret-token-value"}' };
    const leak = (await source.token().catch((e: unknown) => e)) as Error;
    expect(leak.message).toContain('ya29.***');
    expect(leak.message).not.toContain('secret-token-value');
    answer = { status: 200, body: readFixture('vertex', 'token.response.json') };
    await expect(source.token()).resolves.toMatch(/^ya29\./);
    expect(exchanges).toHaveLength(3);
  });

  it('reports an unreachable endpoint and a key that is not PKCS#8 RSA without their details', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const down = new ServiceAccountTokenSource(account, `http://127.0.0.1:${port}/token`);
    await expect(down.token()).rejects.toThrow(/^vertex token exchange failed \(ECONNREFUSED\)$/);
    const bad = new ServiceAccountTokenSource({ ...account, private_key: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' }, url);
    await expect(bad.token()).rejects.toThrow('vertex credentials_file: private_key is not a valid PKCS#8 RSA key');
    expect(exchanges).toHaveLength(0);
  });
});

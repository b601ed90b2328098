import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream/server';
import { ADMIN_TOKEN, startGateway, type Gateway } from '../support/gateway-config';

/**
 * Issue 17, critical and high: a padded base64 token under a `secrets` policy must not stall a
 * worker (input and output stage), and a provider key that is not `sk-`-shaped, echoed by an
 * upstream 401, must not reach the client, the trace or the logs.
 */
const KEY = 'gh-e2e-hardening-key-000001';
const TOKEN = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoxMjM0NTY3ODk=';
const HEX_KEY = '3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a';
const GROQ_KEY = 'gsk_Zx8Qw2Er4Ty6Ui8Op0As2Df4Gh6Jk8Lz0Xc2Vb';
const AWS_ID = 'AKIAHARDENINGTEST001';
const AWS_SECRET = 'hardening/Secret+Access+Key/0123456789abc';

let mock: MockUpstream;
let gw: Gateway;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startGateway({
    mockUrl: mock.url,
    keys: [{ name: 'hardening', secret: KEY, log_bodies: true }],
    providers: {
      openai: { type: 'openai', base_url: `${mock.url}/v1`, api_key: HEX_KEY },
      anthropic: { type: 'anthropic', base_url: mock.url, api_key: GROQ_KEY },
      bedrock: { type: 'bedrock', base_url: mock.url, region: 'us-east-1', access_key_id: AWS_ID, secret_access_key: AWS_SECRET },
    },
  }, { GATEHOUSE_WORKERS: '2', LOG_LEVEL: 'debug' });
  openai = new OpenAI({ apiKey: KEY, baseURL: `${gw.url}/v1`, maxRetries: 0, timeout: 10_000 });
  anthropic = new Anthropic({ apiKey: KEY, baseURL: gw.url, maxRetries: 0, timeout: 10_000 });
  const r = await fetch(`${gw.url}/admin/policies`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ id: 'no-secrets', scope: { models: ['openai-model', 'anthropic-model'] }, checks: [{ type: 'secrets', stage: 'both', action: 'deny' }] }),
  });
  expect(r.status).toBe(201);
  await new Promise((resolve) => setTimeout(resolve, 500));
});
afterAll(async () => {
  await gw?.stop();
  await mock?.close();
});
beforeEach(() => mock.reset());

const elapsed = async <T>(run: () => Promise<T>): Promise<[T, number]> => {
  const t0 = Date.now();
  const value = await run();
  return [value, Date.now() - t0];
};

describe('a padded base64 token under a secrets check', () => {
  it('is denied at input within a second per request while both workers keep serving', async () => {
    const [outcomes, ms] = await elapsed(() => Promise.all([1, 2, 3, 4].map(() =>
      openai.chat.completions.create({ model: 'openai-model', messages: [{ role: 'user', content: `token ${TOKEN}` }] }).catch((e: unknown) => e))));
    expect(ms).toBeLessThan(4_000);
    for (const e of outcomes) {
      expect(e).toBeInstanceOf(OpenAI.BadRequestError);
      expect((e as InstanceType<typeof OpenAI.APIError>).code).toBe('no-secrets');
    }
    expect(mock.requests).toHaveLength(0);
    const health = await fetch(`${gw.url}/healthz`, { signal: AbortSignal.timeout(2_000) });
    expect(health.status).toBe(200);
  });

  it('is denied at output, whole and streamed (Anthropic SDK)', async () => {
    mock.enqueue({ text: `Here it is: ${TOKEN} and more.` });
    const [err, ms] = await elapsed(() => anthropic.messages.create({ model: 'anthropic-model', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] })
      .then(() => null, (e: unknown) => e));
    expect(ms).toBeLessThan(3_000);
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect(JSON.stringify((err as InstanceType<typeof Anthropic.APIError>).error)).not.toContain(TOKEN);

    mock.enqueue({ text: `Here it is: ${TOKEN} and more.`, chunks: 20 });
    const [text, streamMs] = await elapsed(async () => {
      let out = '';
      try {
        const stream = anthropic.messages.stream({ model: 'anthropic-model', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
        for await (const ev of stream) if (ev.type === 'content_block_delta' && ev.delta.type === 'text_delta') out += ev.delta.text;
      } catch {
        // the gateway ends the stream with an error event when the output check denies
      }
      return out;
    });
    expect(streamMs).toBeLessThan(3_000);
    expect(text).not.toContain(TOKEN);
  });
});

describe('provider credentials echoed by an upstream 401', () => {
  const echo = (key: string) => ({ status: 401, error_message: `Incorrect API key provided: ${key}. You can find your API key at https://example.invalid.` });
  const leaks = (text: string): string[] => [HEX_KEY, GROQ_KEY, AWS_ID, AWS_SECRET].filter((k) => text.includes(k));

  async function expectMaskedEverywhere(err: unknown): Promise<void> {
    const e = err as InstanceType<typeof OpenAI.APIError> | InstanceType<typeof Anthropic.APIError>;
    expect(e.status).toBe(502);
    expect(leaks(`${e.message} ${JSON.stringify(e.error)}`)).toEqual([]);
    expect(JSON.stringify(e.error)).toContain('Incorrect API key provided: ***');
    const requestId = e.headers?.get('x-gatehouse-request-id');
    expect(requestId).toBeTruthy();
    const trace = await gw.trace(requestId!);
    expect(trace.status).toBe(502);
    expect(leaks(JSON.stringify(trace))).toEqual([]);
  }

  it.each([
    ['a 40-hex key, OpenAI SDK', 'openai-model', HEX_KEY, 'openai'],
    ['a 40-hex key, Anthropic SDK', 'openai-model', HEX_KEY, 'anthropic'],
    ['a gsk_ key, Anthropic SDK', 'anthropic-model', GROQ_KEY, 'anthropic'],
    ['a gsk_ key, OpenAI SDK', 'anthropic-model', GROQ_KEY, 'openai'],
    ['an AWS secret access key, OpenAI SDK', 'bedrock-model', AWS_SECRET, 'openai'],
    ['an AWS access key id, Anthropic SDK', 'bedrock-model', AWS_ID, 'anthropic'],
  ])('%s: masked in the error body and in the trace', async (_what, model, key, sdk) => {
    mock.enqueue(echo(key));
    const err = sdk === 'openai'
      ? await openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] }).then(() => null, (e: unknown) => e)
      : await anthropic.messages.create({ model, max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }).then(() => null, (e: unknown) => e);
    expect(mock.requests).toHaveLength(1);
    await expectMaskedEverywhere(err);
  });

  it('a streaming request gets the masked error too', async () => {
    mock.enqueue(echo(HEX_KEY));
    const err = await (async () => {
      const stream = await openai.chat.completions.create({ model: 'openai-model', stream: true, messages: [{ role: 'user', content: 'hi' }] });
      for await (const _chunk of stream) void _chunk;
    })().then(() => null, (e: unknown) => e);
    await expectMaskedEverywhere(err);
  });

  it('no configured credential appears in the gateway log', () => {
    expect(gw.app.logs()).toContain('"level"');
    expect(leaks(gw.app.logs())).toEqual([]);
  });
});

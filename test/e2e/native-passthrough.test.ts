import Anthropic from '@anthropic-ai/sdk';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream/server';
import { ADMIN_TOKEN, startGateway, type Gateway } from '../support/gateway-config';

const KEY = 'gh-e2e-native-key-0001';
const GUARDED = 'gh-e2e-native-guarded-0002';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF').toString('base64');

let mock: MockUpstream;
let gw: Gateway;
let anthropic: Anthropic;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startGateway({ mockUrl: mock.url, keys: [{ name: 'native', secret: KEY }, { name: 'guarded', secret: GUARDED, team: 'guarded' }] });
  const r = await fetch(`${gw.url}/admin/policies`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ id: 'no-project-x', scope: { teams: ['guarded'] }, checks: [{ type: 'keywords', stage: 'input', words: ['project x'], action: 'deny' }] }),
  });
  expect(r.status).toBe(201);
  await new Promise((resolve) => setTimeout(resolve, 300));
  anthropic = new Anthropic({ apiKey: KEY, baseURL: gw.url, maxRetries: 0 });
});
afterAll(async () => {
  await gw?.stop();
  await mock?.close();
});
beforeEach(() => mock.reset());

const body = (model: string, text: string) => ({
  model,
  max_tokens: 128,
  container: 'container_123',
  tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 2 }],
  messages: [
    {
      role: 'user',
      content: [
        { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: PDF }, citations: { enabled: true }, cache_control: { type: 'ephemeral' } },
        { type: 'text', text },
      ],
    },
  ],
});

describe('native pass-through: an Anthropic client to Anthropic targets', () => {
  it('a PDF document block, a server tool, an unknown field and the anthropic-beta header reach the upstream untouched; usage is read', async () => {
    const sent = body('anthropic-model', 'Summarise the document.');
    const { data, response } = await anthropic.messages
      .create(sent as unknown as Anthropic.MessageCreateParamsNonStreaming, { headers: { 'anthropic-beta': 'pdfs-2024-09-25,web-search-2025-03-05' } })
      .withResponse();
    expect(data.content.length).toBeGreaterThan(0);
    expect(mock.requests).toHaveLength(1);
    expect(mock.requests[0].body).toEqual({ ...sent, model: 'claude-sonnet-4-5' });
    expect(mock.requests[0].headers['anthropic-beta']).toBe('pdfs-2024-09-25,web-search-2025-03-05');
    const trace = await gw.trace(response.headers.get('x-gatehouse-request-id')!);
    expect(Number(trace.input_tokens)).toBeGreaterThan(0);
    expect(trace.status).toBe(200);
  });

  it('streams untouched too', async () => {
    mock.enqueue({ text: 'A short summary.', chunks: 3 });
    const sent = body('anthropic-model', 'Summarise.');
    const stream = anthropic.messages.stream(sent as unknown as Anthropic.MessageCreateParamsStreaming);
    const final = await stream.finalMessage();
    expect(final.content.length).toBeGreaterThan(0);
    expect(mock.requests[0].body).toEqual({ ...sent, model: 'claude-sonnet-4-5', stream: true });
    expect((mock.requests[0].body as { messages: Array<{ content: Array<{ type: string }> }> }).messages[0].content[0].type).toBe('document');
  });

  it('input guardrails still read the text of such a request', async () => {
    const guarded = new Anthropic({ apiKey: GUARDED, baseURL: gw.url, maxRetries: 0 });
    const err = await guarded.messages.create(body('anthropic-model', 'Tell me about Project X.') as unknown as Anthropic.MessageCreateParamsNonStreaming).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect(JSON.stringify((err as InstanceType<typeof Anthropic.BadRequestError>).error)).toContain('no-project-x');
    expect(mock.requests).toHaveLength(0);
  });

  it('a model with a target of another dialect keeps rejecting what it cannot carry, naming the field', async () => {
    const err = await anthropic.messages.create(body('openai-model', 'Summarise.') as unknown as Anthropic.MessageCreateParamsNonStreaming).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect((err as Error).message).toMatch(/tools\[0\]\.type|container|messages\[0\]\.content\[0\]/);
    expect(mock.requests).toHaveLength(0);
  });
});

describe('native pass-through: an OpenAI client to OpenAI-dialect targets', () => {
  const post = (b: unknown) =>
    fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(b) });

  it('unknown fields reach an OpenAI target untouched (non-streaming, and streaming with include_usage)', async () => {
    const sent = { model: 'openai-model', messages: [{ role: 'user', content: 'hi' }], verbosity_hint: 'low', reasoning: { effort: 'low' } };
    const r = await post(sent);
    expect(r.status).toBe(200);
    expect(mock.requests[0].body).toEqual({ ...sent, model: 'gpt-4o-mini' });
    const streamed = { ...sent, stream: true, stream_options: { include_usage: true } };
    const s = await post(streamed);
    expect(s.status).toBe(200);
    expect(await s.text()).toContain('data: [DONE]');
    expect(mock.requests[1].body).toEqual({ ...streamed, model: 'gpt-4o-mini' });
  });

  it('stays a 400 naming the field to a target of another dialect, and for a stream without include_usage', async () => {
    const toAnthropic = await post({ model: 'anthropic-model', messages: [{ role: 'user', content: 'hi' }], verbosity_hint: 'low' });
    expect(toAnthropic.status).toBe(400);
    expect(((await toAnthropic.json()) as { error: { param: string } }).error.param).toBe('verbosity_hint');
    const noUsage = await post({ model: 'openai-model', stream: true, messages: [{ role: 'user', content: 'hi' }], verbosity_hint: 'low' });
    expect(noUsage.status).toBe(400);
    expect(mock.requests).toHaveLength(0);
  });
});

import OpenAI from 'openai';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream/server';
import { startGateway, type Gateway } from '../support/gateway-config';

const KEY = 'gh-e2e-chat-choices-0001';

let mock: MockUpstream;
let gw: Gateway;
let openai: OpenAI;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startGateway({ mockUrl: mock.url, keys: [{ name: 'choices', secret: KEY }] });
  openai = new OpenAI({ apiKey: KEY, baseURL: `${gw.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await gw?.stop();
  await mock?.close();
});
beforeEach(() => mock.reset());

const ask = (model: string, n: number, stream = false) =>
  openai.chat.completions.create({ model, n, messages: [{ role: 'user', content: 'Name a colour.' }], ...(stream ? { stream: true } : {}) } as OpenAI.ChatCompletionCreateParamsNonStreaming);

const rejected = async (p: Promise<unknown>): Promise<InstanceType<typeof OpenAI.BadRequestError>> => {
  const err = await p.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(OpenAI.BadRequestError);
  return err as InstanceType<typeof OpenAI.BadRequestError>;
};

describe('n > 1 on /v1/chat/completions (openai SDK): honoured or a 400 naming n, never ignored', () => {
  it('the built-in mock answers n choices', async () => {
    const r = await ask('local-model', 3);
    expect(r.choices.map((c) => c.index)).toEqual([0, 1, 2]);
    expect(new Set(r.choices.map((c) => c.message.content)).size).toBe(1);
    expect(r.choices.every((c) => c.finish_reason === 'stop')).toBe(true);
  });

  it('an OpenAI target gets n and its choices come back', async () => {
    const r = await ask('openai-model', 2);
    expect((mock.requests[0].body as { n?: number }).n).toBe(2);
    expect(r.choices).toHaveLength(2);
  });

  it('a Gemini target gets candidateCount and each candidate is a choice', async () => {
    const r = await ask('gemini-model', 2);
    expect(mock.requests[0].body).toMatchObject({ generationConfig: { candidateCount: 2 } });
    expect(r.choices.map((c) => [c.index, c.message.content])).toEqual([[0, 'Hello from the mock upstream.'], [1, 'Hello from the mock upstream.']]);
  });

  it('targets that return one choice, and translated streams, are a 400 naming n before any upstream call', async () => {
    for (const [model, stream] of [['anthropic-model', false], ['bedrock-model', false], ['gemini-model', true], ['local-model', true]] as const) {
      const err = await rejected(ask(model, 2, stream));
      expect(err.param).toBe('n');
      expect(err.message).toContain('"n" is not supported');
    }
    expect(mock.requests).toHaveLength(0);
  });
});

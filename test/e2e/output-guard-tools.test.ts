import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream/server';
import { ADMIN_TOKEN, startGateway, type Gateway } from '../support/gateway-config';

const KEY = 'gh-e2e-output-tools-key-0001';
const AWS_SECRET = 'AKIAIOSFODNN7EXAMPLE';
const SECRET_CALL = { name: 'deploy', arguments: JSON.stringify({ target: 'prod', credentials: `aws ${AWS_SECRET}` }) };

let mock: MockUpstream;
let gw: Gateway;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startGateway({ mockUrl: mock.url, keys: [{ name: 'tools', secret: KEY, team: 'tools' }] });
  const r = await fetch(`${gw.url}/admin/policies`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ id: 'no-secrets-out', scope: { teams: ['tools'] }, checks: [{ type: 'secrets', stage: 'output', action: 'deny' }] }),
  });
  expect(r.status).toBe(201);
  await new Promise((resolve) => setTimeout(resolve, 300));
  openai = new OpenAI({ apiKey: KEY, baseURL: `${gw.url}/v1`, maxRetries: 0 });
  anthropic = new Anthropic({ apiKey: KEY, baseURL: gw.url, maxRetries: 0 });
});
afterAll(async () => {
  await gw?.stop();
  await mock?.close();
});
beforeEach(() => mock.reset());

const tools: OpenAI.Chat.ChatCompletionTool[] = [{ type: 'function', function: { name: 'deploy', parameters: { type: 'object', properties: { target: { type: 'string' }, credentials: { type: 'string' } } } } }];

describe('output guardrails read tool-call arguments', () => {
  it('non-streaming: a tool call whose arguments hold a secret is replaced by the 400 guardrail_violation', async () => {
    mock.enqueue({ tool_calls: [SECRET_CALL] });
    const err = await openai.chat.completions.create({ model: 'openai-model', messages: [{ role: 'user', content: 'deploy' }], tools }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    const e = err as InstanceType<typeof OpenAI.BadRequestError>;
    expect(e.code).toBe('no-secrets-out');
    expect(JSON.stringify(e.error)).not.toContain(AWS_SECRET);

    mock.enqueue({ tool_calls: [{ name: 'deploy', arguments: '{"target":"prod"}' }] });
    const ok = await openai.chat.completions.create({ model: 'openai-model', messages: [{ role: 'user', content: 'deploy' }], tools });
    expect(ok.choices[0].message.tool_calls?.[0]).toMatchObject({ function: { name: 'deploy', arguments: '{"target":"prod"}' } });
  });

  it('streaming (OpenAI client): the arguments never arrive and the stream ends with the guardrail error', async () => {
    mock.enqueue({ tool_calls: [SECRET_CALL], chunks: 6 });
    const r = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'openai-model', stream: true, messages: [{ role: 'user', content: 'deploy' }], tools }),
    });
    expect(r.status).toBe(200);
    const raw = await r.text();
    expect(raw).not.toContain('AKIA');
    const events = raw.split('\n\n').filter((e) => e.trim() !== '');
    const last = JSON.parse(events[events.length - 1].replace(/^data: /, '')) as { error: { type: string; message: string } };
    expect(last.error.type).toBe('guardrail_violation');
    expect(last.error.message).toContain('no-secrets-out');
  });

  it('streaming (Anthropic client): clean arguments pass whole, a secret is denied', async () => {
    mock.enqueue({ tool_calls: [{ name: 'deploy', arguments: '{"target":"staging"}' }], chunks: 4 });
    const clean = anthropic.messages.stream({ model: 'anthropic-model', max_tokens: 64, messages: [{ role: 'user', content: 'deploy' }], tools: [{ name: 'deploy', input_schema: { type: 'object' } }] });
    const final = await clean.finalMessage();
    expect(final.content).toEqual([expect.objectContaining({ type: 'tool_use', name: 'deploy', input: { target: 'staging' } })]);

    mock.enqueue({ tool_calls: [SECRET_CALL], chunks: 4 });
    const denied = anthropic.messages.stream({ model: 'anthropic-model', max_tokens: 64, messages: [{ role: 'user', content: 'deploy' }], tools: [{ name: 'deploy', input_schema: { type: 'object' } }] });
    const err = await denied.finalMessage().catch((e: unknown) => e);
    expect(String((err as Error).message)).toContain('no-secrets-out');
  });
});

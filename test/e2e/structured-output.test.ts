import OpenAI from 'openai';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream/server';
import { startGateway, type Gateway } from '../support/gateway-config';

const KEY = 'gh-e2e-structured-key-0001';
const TOOL = 'gatehouse_structured_output';

let mock: MockUpstream;
let gw: Gateway;
let openai: OpenAI;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startGateway({ mockUrl: mock.url, keys: [{ name: 'structured', secret: KEY }] });
  openai = new OpenAI({ apiKey: KEY, baseURL: `${gw.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await gw?.stop();
  await mock?.close();
});
beforeEach(() => mock.reset());

const schema = { type: 'object', properties: { city: { type: 'string' }, temperature_c: { type: 'number' } }, required: ['city', 'temperature_c'], additionalProperties: false };
const responseFormat = { type: 'json_schema' as const, json_schema: { name: 'weather', schema, strict: true } };
const ANSWER = '{"city":"Oslo","temperature_c":-3}';

describe('structured output from an OpenAI client to Anthropic and Bedrock targets (a forced tool)', () => {
  it.each(['anthropic-model', 'bedrock-model'])('non-streaming: the schema is sent as the forced tool and the answer comes back as JSON message content (%s)', async (model) => {
    mock.enqueue({ tool_calls: [{ name: TOOL, arguments: ANSWER }] });
    const r = await openai.chat.completions.parse({ model, messages: [{ role: 'user', content: 'Weather in Oslo as JSON' }], response_format: responseFormat });
    expect(r.choices[0].finish_reason).toBe('stop');
    expect(r.choices[0].message.tool_calls ?? []).toEqual([]);
    expect(JSON.parse(r.choices[0].message.content!)).toEqual({ city: 'Oslo', temperature_c: -3 });
    expect(r.choices[0].message.parsed).toEqual({ city: 'Oslo', temperature_c: -3 });
    const sent = mock.requests[0].body as Record<string, unknown>;
    if (model === 'anthropic-model') {
      expect(sent.tools).toEqual([expect.objectContaining({ name: TOOL, input_schema: schema })]);
      expect(sent.tool_choice).toEqual({ type: 'tool', name: TOOL });
    } else {
      expect(sent.toolConfig).toEqual({ tools: [{ toolSpec: expect.objectContaining({ name: TOOL, inputSchema: { json: schema } }) }], toolChoice: { tool: { name: TOOL } } });
    }
  });

  it.each(['anthropic-model', 'bedrock-model'])('streaming: the JSON arrives as content deltas, finish_reason stop (%s)', async (model) => {
    mock.enqueue({ tool_calls: [{ name: TOOL, arguments: ANSWER }], chunks: 5 });
    const stream = await openai.chat.completions.create({ model, stream: true, messages: [{ role: 'user', content: 'Weather in Oslo as JSON' }], response_format: responseFormat });
    let text = '';
    let finish: string | null = null;
    let toolDeltas = 0;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.choices[0]?.delta?.tool_calls) toolDeltas++;
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(JSON.parse(text)).toEqual({ city: 'Oslo', temperature_c: -3 });
    expect(toolDeltas).toBe(0);
    expect(finish).toBe('stop');
  });

  it('refuses response_format together with tools on Anthropic, naming the field', async () => {
    const err = await openai.chat.completions.create({
      model: 'anthropic-model',
      messages: [{ role: 'user', content: 'x' }],
      response_format: responseFormat,
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('response_format.json_schema');
    expect(mock.requests).toHaveLength(0);
  });
});

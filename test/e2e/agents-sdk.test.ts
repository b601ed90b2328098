import { Agent, OpenAIProvider, Runner, setTracingDisabled, tool } from '@openai/agents';
import { z } from 'zod';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream/server';
import { startGateway, type Gateway } from '../support/gateway-config';

const KEY = 'gh-e2e-agents-sdk-key-0001';

let mock: MockUpstream;
let gw: Gateway;

beforeAll(async () => {
  setTracingDisabled(true);
  mock = await startMockUpstream();
  gw = await startGateway({ mockUrl: mock.url, keys: [{ name: 'agents', secret: KEY }] });
});
afterAll(async () => {
  await gw?.stop();
  await mock?.close();
});
beforeEach(() => mock.reset());

/** The OpenAI Agents SDK (@openai/agents, Responses API by default) running one agent with one tool through the gateway. */
describe('OpenAI Agents SDK through /v1/responses', () => {
  const calls: string[] = [];
  const weather = tool({
    name: 'get_weather',
    description: 'The weather of a city',
    parameters: z.object({ city: z.string() }),
    execute: async ({ city }) => {
      calls.push(city);
      return `light snow in ${city}`;
    },
  });
  const runner = () => new Runner({ modelProvider: new OpenAIProvider({ apiKey: KEY, baseURL: `${gw.url}/v1`, useResponses: true }) });

  it.each(['anthropic-model', 'openai-model'])('runs the tool and answers from its result (%s target)', async (model) => {
    calls.length = 0;
    mock.enqueue({ tool_calls: [{ name: 'get_weather', arguments: '{"city":"Oslo"}' }] });
    mock.enqueue({ text: 'It is snowing lightly in Oslo.' });
    const agent = new Agent({ name: 'Weather', instructions: 'Use the tool.', model, tools: [weather] });
    const result = await runner().run(agent, 'What is the weather in Oslo?');
    expect(calls).toEqual(['Oslo']);
    expect(result.finalOutput).toBe('It is snowing lightly in Oslo.');
    expect(mock.requests).toHaveLength(2);
    expect(JSON.stringify(mock.requests[1].body)).toContain('light snow in Oslo');
  });

  it('streams a run on the built-in mock provider', async () => {
    calls.length = 0;
    const agent = new Agent({ name: 'Weather', instructions: 'Use the tool.', model: 'local-model', tools: [weather] });
    const stream = await runner().run(agent, 'Weather in Oslo?', { stream: true });
    let text = '';
    for await (const ev of stream) {
      if (ev.type === 'raw_model_stream_event' && ev.data.type === 'output_text_delta') text += ev.data.delta;
    }
    await stream.completed;
    expect(calls).toEqual(['mock']);
    expect(stream.finalOutput).toContain('Gatehouse mock provider');
    expect(text).toBe(stream.finalOutput);
  });
});

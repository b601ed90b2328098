import { startMockUpstream, type MockUpstream } from '../support/mock-upstream/server';
import { startGateway, type Gateway } from '../support/gateway-config';
import { runPythonScript } from '../support/python-sdks';

const KEY = 'gh-e2e-python-sdks-key-0001';

let mock: MockUpstream;
let gw: Gateway;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startGateway({ mockUrl: mock.url, keys: [{ name: 'py', secret: KEY }] });
}, 600_000);
afterAll(async () => {
  await gw?.stop();
  await mock?.close();
});

describe('the official Python SDKs (openai, anthropic from PyPI) against the built-in mock provider', () => {
  it('retrieve a model, parse structured output, cut at max_tokens and round-trip tool calls with model_dump() content', async () => {
    const out = await runPythonScript('sdk_roundtrip.py', { GATEHOUSE_URL: gw.url, GATEHOUSE_KEY: KEY, GATEHOUSE_MODEL: 'local-model' });
    expect(out.retrieve).toMatchObject({ id: 'local-model', object: 'model' });
    expect(out.listed).toBe(true);
    expect(out.parsed).toEqual({ name: expect.any(String), age: expect.any(Number), tags: expect.any(Array), nickname: expect.any(String) });
    expect(out.openai_round_trip).toMatchObject({ first_finish: 'tool_calls', tool: 'get_weather', second_finish: 'stop' });
    expect(out.max_tokens).toEqual({ finish: 'length', completion_tokens: 3 });
    expect(out.anthropic_round_trip).toMatchObject({
      dumped_keys: ['caller', 'id', 'input', 'name', 'toolset_name', 'type'],
      first_stop: 'tool_use',
      final_stop: 'end_turn',
    });
    expect((out.anthropic_round_trip as { final_text: string }).final_text).toContain('Gatehouse mock provider');
  });
});

import Ajv from 'ajv';
import type { CanonicalRequest } from '@gatehouse/formats';
import { collect } from '../shared/testing';
import { createMockProvider } from './mock.provider';

const mock = createMockProvider();
const req = (over: Partial<CanonicalRequest> = {}): CanonicalRequest => ({
  model: 'gpt-4o-mini', system: [{ type: 'text', text: 'You are terse.' }],
  messages: [{ role: 'user', content: [{ type: 'text', text: 'What is Gatehouse?' }] }], stream: false, ...over,
});
const weather = { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' }, unit: { type: 'string', enum: ['c', 'f'] }, note: { type: 'string' } }, required: ['city', 'days', 'unit'] } };

describe('mock provider', () => {
  it('answers with a greeting that echoes the last user text, with token usage', () => {
    const r = mock.complete(req(), 'mock-model');
    expect(r.content).toEqual([{ type: 'text', text: 'Hello from the Gatehouse mock provider (model mock-model). You said: "What is Gatehouse?"' }]);
    expect(r.stop_reason).toBe('end_turn');
    expect(r.model).toBe('mock-model');
    expect(r.usage.input_tokens).toBeGreaterThan(5);
    expect(r.usage.output_tokens).toBeGreaterThan(15);
    expect(mock.complete(req(), 'mock-model').content).toEqual(r.content);
  });

  it('truncates long user text to 200 characters and tolerates special-token text', () => {
    const long = `<|endoftext|>${'x'.repeat(400)}`;
    const text = (mock.complete(req({ messages: [{ role: 'user', content: [{ type: 'text', text: long }] }] }), 'm').content[0] as { text: string }).text;
    expect(text).toContain(`"${long.slice(0, 200)}…"`);
  });

  it('calls the first tool with minimal arguments built from required fields', () => {
    const r = mock.complete(req({ tools: [weather, { name: 'other', parameters: { type: 'object' } }] }), 'm');
    expect(r.stop_reason).toBe('tool_use');
    expect(r.content).toHaveLength(1);
    expect(r.content[0]).toMatchObject({ type: 'tool_call', name: 'get_weather' });
    expect(JSON.parse((r.content[0] as { arguments: string }).arguments)).toEqual({ city: 'mock', days: 0, unit: 'c' });
  });

  it('calls the chosen tool, and answers in text when tools are off or a tool result came back', () => {
    const tools = [weather, { name: 'other', parameters: { type: 'object' } }];
    expect(mock.complete(req({ tools, tool_choice: { type: 'tool', name: 'other' } }), 'm').content[0])
      .toMatchObject({ type: 'tool_call', name: 'other', arguments: '{}' });
    expect(mock.complete(req({ tools, tool_choice: { type: 'none' } }), 'm').stop_reason).toBe('end_turn');
    const afterResult = req({ tools, messages: [
      { role: 'user', content: [{ type: 'text', text: 'weather?' }] },
      { role: 'assistant', content: [{ type: 'tool_call', id: 'c1', name: 'get_weather', arguments: '{}' }] },
      { role: 'user', content: [{ type: 'tool_result', tool_call_id: 'c1', content: [{ type: 'text', text: 'sunny' }] }] },
    ] });
    expect(mock.complete(afterResult, 'm').content[0]).toMatchObject({ type: 'text' });
  });

  it('streams the same answer in word chunks followed by usage and stop', () => {
    const complete = mock.complete(req(), 'm');
    const events = mock.stream(req({ stream: true }), 'm');
    expect(events[0]).toMatchObject({ type: 'start', model: 'm' });
    expect(events.filter((e) => e.type === 'text_delta').length).toBeGreaterThan(5);
    expect(collect(events).get(0)).toBe((complete.content[0] as { text: string }).text);
    expect(events.slice(-3)).toEqual([
      { type: 'block_stop', index: 0 },
      { type: 'usage', usage: complete.usage },
      { type: 'stop', stop_reason: 'end_turn' },
    ]);
  });

  it('streams a tool call as one block', () => {
    const events = mock.stream(req({ tools: [weather] }), 'm');
    expect(events.map((e) => e.type)).toEqual(['start', 'tool_call_start', 'tool_call_delta', 'block_stop', 'usage', 'stop']);
  });

  it('embeds texts as deterministic unit vectors of the requested size', () => {
    const a = mock.embed!({ model: 'e', input: ['alpha', 'beta'] }, 'e');
    expect(a.data).toHaveLength(2);
    expect(a.data[0]).toHaveLength(16);
    const norm = Math.sqrt(a.data[0].reduce((s, x) => s + x * x, 0));
    expect(norm).toBeCloseTo(1, 10);
    expect(a.data[0]).not.toEqual(a.data[1]);
    expect(mock.embed!({ model: 'e', input: ['alpha'] }, 'e').data[0]).toEqual(a.data[0]);
    expect(mock.embed!({ model: 'e', input: ['alpha'], dimensions: 40 }, 'e').data[0]).toHaveLength(40);
    expect(a.usage.input_tokens).toBe(2);
  });
});

describe('mock provider structured output and limits', () => {
  const textOf = (r: ReturnType<typeof mock.complete>) => (r.content[0] as { text: string }).text;

  it('answers JSON valid against a json_schema response_format, $refs and nullable fields included', () => {
    const schema = {
      type: 'object',
      properties: {
        name: { type: 'string' },
        age: { type: 'integer', minimum: 18 },
        tags: { type: 'array', items: { type: 'string' }, minItems: 2 },
        kind: { type: 'string', enum: ['person', 'robot'] },
        nickname: { anyOf: [{ type: 'string' }, { type: 'null' }] },
        address: { $ref: '#/$defs/Address' },
      },
      required: ['name', 'age', 'tags', 'kind', 'nickname', 'address'],
      additionalProperties: false,
      $defs: { Address: { type: 'object', properties: { city: { type: 'string' }, zip: { type: 'number' } }, required: ['city', 'zip'], additionalProperties: false } },
    };
    const r = mock.complete(req({ response_format: { type: 'json_schema', name: 'person', schema, strict: true } }), 'm');
    expect(r.stop_reason).toBe('end_turn');
    const value = JSON.parse(textOf(r));
    const validate = new Ajv({ strict: false }).compile(schema);
    expect(validate(value)).toBe(true);
    expect(collect(mock.stream(req({ stream: true, response_format: { type: 'json_schema', name: 'person', schema } }), 'm')).get(0)).toBe(textOf(r));
  });

  it('answers a JSON object for json_object', () => {
    const value = JSON.parse(textOf(mock.complete(req({ response_format: { type: 'json_object' } }), 'm')));
    expect(value).toEqual({ answer: 'What is Gatehouse?' });
  });

  it('cuts the answer at max_tokens with stop reason max_tokens, streaming or not', () => {
    const full = mock.complete(req(), 'm');
    const cut = mock.complete(req({ max_tokens: 5 }), 'm');
    expect(cut.stop_reason).toBe('max_tokens');
    expect(cut.usage.output_tokens).toBe(5);
    expect(textOf(full).startsWith(textOf(cut))).toBe(true);
    expect(textOf(cut).length).toBeLessThan(textOf(full).length);
    expect(mock.complete(req({ max_tokens: 1000 }), 'm')).toMatchObject({ stop_reason: 'end_turn', content: full.content });
    const events = mock.stream(req({ stream: true, max_tokens: 5 }), 'm');
    expect(events[events.length - 1]).toEqual({ type: 'stop', stop_reason: 'max_tokens' });
    expect(collect(events).get(0)).toBe(textOf(cut));
  });
});

describe('mock provider token counting', () => {
  it('counts long inputs proportionally and quickly', () => {
    const short = mock.complete(req({ system: [], messages: [{ role: 'user', content: [{ type: 'text', text: 'The quick brown fox. '.repeat(1000) }] }] }), 'm');
    // CPU time, not wall time (a loaded machine stretches the latter): linear counting takes tens of ms, a quadratic one seconds.
    const started = process.cpuUsage();
    const long = mock.complete(req({ system: [], messages: [{ role: 'user', content: [{ type: 'text', text: 'The quick brown fox. '.repeat(20000) }] }] }), 'm');
    const cpu = process.cpuUsage(started);
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(500);
    expect(long.usage.input_tokens / short.usage.input_tokens).toBeCloseTo(20, 0);
  });
});

import { CheckSchema } from '@gatehouse/contracts';
import { score, type Labelled } from '../labelled.testing';
import { createJsonSchemaCheck } from './json-schema.check';

const ctx = { requestId: 'r', team: 't', keyId: 'k', model: 'm' };
const schema = {
  type: 'object',
  required: ['name', 'age'],
  properties: { name: { type: 'string', minLength: 1 }, age: { type: 'integer', minimum: 0 }, email: { type: 'string', format: 'email' }, tags: { type: 'array', items: { type: 'string' } } },
  additionalProperties: false,
};
const check = createJsonSchemaCheck(CheckSchema.parse({ type: 'json_schema', schema }) as never);
const detect = (text: string): string[] => [...(check.evaluate({ stage: 'output', texts: [text] }, ctx) as unknown as { details: string[] }).details];

/** Label: "invalid" = the output must be rejected (not JSON, or not matching the schema). */
const BAD = (text: string): Labelled => ({ label: 'invalid', text });
const OK = (text: string): Labelled => ({ label: null, text });

const TABLE: Labelled[] = [
  OK('{"name":"Ada","age":36}'),
  OK('{"name":"Ada","age":0}'),
  OK('  {"name":"Bob","age":7}\n'),
  OK('{"name":"Eve","age":30,"email":"eve@example.com"}'),
  OK('{"name":"Z","age":1,"tags":[]}'),
  OK('{"name":"Z","age":1,"tags":["a","b"]}'),
  OK('```json\n{"name":"Fenced","age":2}\n```'),
  OK('{\n  "name": "Pretty",\n  "age": 40\n}'),
  OK('{"age":5,"name":"Order"}'),
  OK('{"name":"Ünïcödé","age":99}'),
  OK('{"name":"Big","age":123456789}'),
  OK('```\n{"name":"Plain fence","age":3}\n```'),
  OK('{"name":"Esc\\"aped","age":4}'),
  OK('{"name":"Zero tags","age":8,"tags":[]}'),
  OK('{"name":"Mail","age":8,"email":"a.b@c.io"}'),
  BAD('{"name":"Ada"}'),
  BAD('{"age":36}'),
  BAD('{"name":"","age":1}'),
  BAD('{"name":"Ada","age":-1}'),
  BAD('{"name":"Ada","age":1.5}'),
  BAD('{"name":"Ada","age":"36"}'),
  BAD('{"name":"Ada","age":36,"extra":true}'),
  BAD('{"name":"Ada","age":36,"email":"not-an-email"}'),
  BAD('{"name":"Ada","age":36,"tags":[1]}'),
  BAD('{"name":"Ada","age":36'),
  BAD('Sure! Here is the JSON: {"name":"Ada","age":36}'),
  BAD('[{"name":"Ada","age":36}]'),
  BAD('null'),
  BAD(''),
  BAD("{'name':'Ada','age':36}"),
  BAD('{"name":"Ada","age":36,}'),
];

describe('json_schema check: labelled table', () => {
  it('accepts valid JSON matching the schema and rejects the rest: precision and recall 1.0', () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(30);
    const s = score('json_schema', TABLE, detect, true);
    expect(s.precision).toBe(1);
    expect(s.recall).toBe(1);
  });

  it('says why: invalid_json or the schema path', () => {
    expect(detect('nope')).toEqual(['invalid_json']);
    expect(detect('{"name":"Ada","age":-1}')[0]).toMatch(/^schema:\/age /);
  });

  it('never fails on the input stage', () => {
    expect((check.evaluate({ stage: 'input', texts: ['not json'] }, ctx) as unknown as { pass: boolean }).pass).toBe(true);
  });

  it('rejects an invalid schema at compile time', () => {
    expect(() => createJsonSchemaCheck(CheckSchema.parse({ type: 'json_schema', schema: { type: 'nonsense' } }) as never)).toThrow(/^schema: invalid JSON schema/);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOpenApi } from './openapi';

describe('docs/openapi.json', () => {
  it('is what the zod schemas generate (run npm run openapi after changing a request schema)', () => {
    const stored = JSON.parse(readFileSync(join(__dirname, '..', 'docs', 'openapi.json'), 'utf8')) as unknown;
    expect(stored).toEqual(buildOpenApi());
  });

  it('describes every request body the gateway validates, with the fields a client sends', () => {
    const doc = buildOpenApi() as { components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> } };
    const s = doc.components.schemas;
    expect(Object.keys(s.OpenAIChatRequest.properties ?? {})).toEqual(expect.arrayContaining(['model', 'messages', 'temperature', 'stream', 'tools']));
    expect(s.AnthropicMessagesRequest.required).toEqual(expect.arrayContaining(['model', 'max_tokens', 'messages']));
    expect(Object.keys(s.Policy.properties ?? {})).toEqual(expect.arrayContaining(['id', 'checks', 'scope', 'on_error']));
  });
});

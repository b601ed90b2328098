import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeAll, TEXT_STREAM, TOOLS_STREAM } from '../testing/samples';
import { OpenAIChatStreamEncoder } from './chat-stream';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');
const opts = { model: 'gpt-4o-mini', created: 1764107723 };

describe('OpenAIChatStreamEncoder', () => {
  it('matches the recorded text stream (first chunk with role, finish_reason length, [DONE])', () => {
    const enc = new OpenAIChatStreamEncoder({ ...opts, id: 'chatcmpl-gh1', includeUsage: false });
    expect(encodeAll(enc, TEXT_STREAM)).toBe(fixture('stream-text.sse'));
  });

  it('matches the recorded stream of two parallel tool calls with usage:null chunks and a final usage chunk', () => {
    const enc = new OpenAIChatStreamEncoder({ ...opts, id: 'chatcmpl-gh2', includeUsage: true });
    expect(encodeAll(enc, TOOLS_STREAM)).toBe(fixture('stream-tools-usage.sse'));
  });

  it('emits the role chunk and a stop finish even when the upstream sent neither start nor stop', () => {
    const enc = new OpenAIChatStreamEncoder({ ...opts, id: 'c', includeUsage: false });
    const out = enc.push({ type: 'text_delta', index: 0, text: 'x' }) + enc.finish();
    const chunks = out.split('\n\n').filter(Boolean);
    expect(chunks).toHaveLength(4);
    expect(JSON.parse(chunks[0]!.slice(6)).choices[0].delta.role).toBe('assistant');
    expect(JSON.parse(chunks[2]!.slice(6)).choices[0].finish_reason).toBe('stop');
    expect(chunks[3]).toBe('data: [DONE]');
  });

  it('renders an error as an in-stream error object and then stays silent', () => {
    const enc = new OpenAIChatStreamEncoder({ ...opts, id: 'c', includeUsage: true });
    enc.push({ type: 'text_delta', index: 0, text: 'par' });
    const out = enc.push({ type: 'error', error: { type: 'upstream_error', message: 'provider "a" reset the connection' } });
    expect(JSON.parse(out.slice(6))).toEqual({
      error: { message: 'provider "a" reset the connection', type: 'upstream_error', code: null, param: null },
    });
    expect(enc.finish()).toBe('');
    expect(enc.push({ type: 'text_delta', index: 0, text: 'more' })).toBe('');
  });
});

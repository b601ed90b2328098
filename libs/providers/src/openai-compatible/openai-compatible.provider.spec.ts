import { OpenAICompatibleConfigSchema } from './openai-compatible.config';
import type { CanonicalRequest } from '@gatehouse/formats';
import type { UpstreamRequest } from '../provider';
import { collect, readFixture, runStream } from '../shared/testing';
import { createOpenAICompatibleProvider } from './openai-compatible.provider';

const provider = (base_url: string, api_key?: string) =>
  createOpenAICompatibleProvider(OpenAICompatibleConfigSchema.parse({ type: 'openai-compatible', base_url, api_key }));
const req = (over: Partial<CanonicalRequest> = {}): CanonicalRequest => ({
  model: 'm', system: [], messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], stream: false, ...over,
});
const body = (r: unknown) => JSON.parse((r as UpstreamRequest).body) as Record<string, unknown>;

describe('createOpenAICompatibleProvider', () => {
  it('generic servers get max_tokens, top_k and no auth header without a key', () => {
    const p = provider('http://127.0.0.1:8000/v1');
    const r = p.chatRequest(req({ max_tokens: 50, top_k: 20, stream: true }), 'qwen2.5-7b') as UpstreamRequest;
    expect(r.url).toBe('http://127.0.0.1:8000/v1/chat/completions');
    expect(r.headers).not.toHaveProperty('authorization');
    expect(body(r)).toMatchObject({ max_tokens: 50, top_k: 20, stream_options: { include_usage: true } });
  });

  it('Mistral: random_seed, tool_choice any, no stream_options, and user rejected', () => {
    const p = provider('https://api.mistral.ai/v1', 'mistral-key');
    const b = body(p.chatRequest(req({
      seed: 3, stream: true, tools: [{ name: 't', parameters: { type: 'object' } }], tool_choice: { type: 'required' },
    }), 'mistral-large-latest'));
    expect(b).toMatchObject({ random_seed: 3, tool_choice: 'any' });
    expect(b).not.toHaveProperty('seed');
    expect(b).not.toHaveProperty('stream_options');
    expect(() => p.chatRequest(req({ user: 'u1' }), 'mistral-large-latest')).toThrow(/"user" is not supported by provider type openai-compatible/);
    const pass = body(p.passthroughRequest!({ model: 'x', messages: [], stream: true }, 'mistral-small-latest'));
    expect(pass).toEqual({ model: 'mistral-small-latest', messages: [], stream: true });
  });

  it('DeepSeek: rejects json_schema and images, reads reasoning_content', () => {
    const p = provider('https://api.deepseek.com', 'k');
    expect(() => p.chatRequest(req({ response_format: { type: 'json_schema', name: 'x', schema: {} } }), 'deepseek-chat'))
      .toThrow(/json_object only/);
    expect(() => p.chatRequest(req({ messages: [{ role: 'user', content: [{ type: 'image', source: { kind: 'url', url: 'https://e.com/a.png' } }] }] }), 'deepseek-chat'))
      .toThrow(/text only/);
    const r = p.parseChatResponse(readFixture('openai-compatible', 'deepseek-reasoner.json'), 'deepseek-reasoner');
    expect(r.content[0]).toEqual({ type: 'thinking', text: 'Compare the decimals: 0.11 < 0.80, so 9.11 < 9.8.' });
    expect(r.usage.reasoning_tokens).toBe(203);
  });

  it('Groq gets max_completion_tokens and a bearer key', () => {
    const r = provider('https://api.groq.com/openai/v1', 'gsk_x').chatRequest(req({ max_tokens: 9 }), 'llama-3.3-70b-versatile') as UpstreamRequest;
    expect(r.headers.authorization).toBe('Bearer gsk_x');
    expect(body(r)).toMatchObject({ max_completion_tokens: 9 });
  });

  it('streams vLLM reasoning and text as separate blocks', () => {
    const events = runStream(provider('http://127.0.0.1:8000/v1').createStreamParser('qwen3'), readFixture('openai-compatible', 'vllm-stream-reasoning.sse'));
    const blocks = collect(events);
    expect(blocks.get(0)).toBe('The user greets me.');
    expect(blocks.get(1)).toBe('Hi there!');
    expect(events.find((e) => e.type === 'usage')).toMatchObject({ usage: { input_tokens: 12, output_tokens: 28 } });
  });
});

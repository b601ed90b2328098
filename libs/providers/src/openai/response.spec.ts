import { GatewayError } from '@gatehouse/contracts';
import { readFixture } from '../shared/testing';
import { parseChatCompletion } from './response';
import { parseEmbeddings } from './embeddings';

describe('openai parseChatCompletion', () => {
  it('reads text, finish reason and cached tokens', () => {
    const r = parseChatCompletion(readFixture('openai', 'chat-text.json'), 'gpt-4o-mini');
    expect(r.id).toBe('chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT');
    expect(r.model).toBe('gpt-4o-mini-2024-07-18');
    expect(r.content).toEqual([{ type: 'text', text: 'Hello! How can I assist you today?' }]);
    expect(r.stop_reason).toBe('end_turn');
    expect(r.usage).toEqual({ input_tokens: 2006, output_tokens: 10, cache_read_tokens: 1920, cache_write_tokens: 0, reasoning_tokens: 0 });
  });

  it('reads parallel tool calls', () => {
    const r = parseChatCompletion(readFixture('openai', 'chat-tool-calls.json'), 'gpt-4.1');
    expect(r.stop_reason).toBe('tool_use');
    expect(r.content).toEqual([
      { type: 'tool_call', id: 'call_Kp3Yq9ZMV6cDMbF0sWbcFqLw', name: 'get_weather', arguments: '{"location":"Paris, France"}' },
      { type: 'tool_call', id: 'call_mT5xG2fHk8nQ1rV7wLzC4dAe', name: 'get_weather', arguments: '{"location":"Bogotá, Colombia"}' },
    ]);
  });

  it('reads reasoning tokens (included in output) and cached prompt tokens (included in input)', () => {
    const r = parseChatCompletion(readFixture('openai', 'chat-reasoning.json'), 'o3-mini');
    expect(r.usage).toEqual({ input_tokens: 1536, output_tokens: 707, cache_read_tokens: 1024, cache_write_tokens: 0, reasoning_tokens: 640 });
  });

  it('maps finish_reason length to max_tokens', () => {
    expect(parseChatCompletion(readFixture('openai', 'chat-length.json'), 'gpt-4o').stop_reason).toBe('max_tokens');
  });

  it('rejects a body that is not a chat completion with a 502', () => {
    expect(() => parseChatCompletion('<html>bad gateway</html>', 'gpt-4o')).toThrow(GatewayError);
    expect(() => parseChatCompletion('{"choices":[]}', 'gpt-4o')).toThrow(/no choices/);
  });
});

describe('openai parseEmbeddings', () => {
  it('reads vectors in index order and prompt tokens', () => {
    const r = parseEmbeddings(readFixture('openai', 'embeddings.json'), 'text-embedding-3-small');
    expect(r.data).toHaveLength(2);
    expect(r.data[1][2]).toBeCloseTo(0.0278195);
    expect(r.usage.input_tokens).toBe(9);
  });

  it('decodes base64 float32 vectors', () => {
    const b64 = Buffer.from(new Float32Array([0.5, -0.25]).buffer).toString('base64');
    const r = parseEmbeddings(JSON.stringify({ data: [{ index: 0, embedding: b64 }], model: 'm', usage: { prompt_tokens: 1 } }), 'm');
    expect(r.data[0]).toEqual([0.5, -0.25]);
  });
});

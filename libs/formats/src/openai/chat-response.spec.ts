import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CanonicalResponse } from '../canonical';
import { TOOLS_RESPONSE } from '../testing/samples';
import { encodeOpenAIChat } from './chat-response';

const fixture = (name: string): unknown => JSON.parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8'));
const opts = { id: 'chatcmpl-gh123', model: 'gpt-4o-mini', created: 1764107723 };

describe('encodeOpenAIChat', () => {
  it('matches the recorded chat.completion with parallel tool calls, cached and reasoning tokens', () => {
    expect(encodeOpenAIChat(TOOLS_RESPONSE, opts)).toEqual(fixture('chat-completion-tools.json'));
  });

  it.each([
    ['end_turn', 'stop'],
    ['max_tokens', 'length'],
    ['stop_sequence', 'stop'],
    ['tool_use', 'tool_calls'],
    ['content_filter', 'content_filter'],
  ] as const)('maps stop reason %s to finish_reason %s', (stop, finish) => {
    const res: CanonicalResponse = { ...TOOLS_RESPONSE, content: [{ type: 'text', text: 'x' }], stop_reason: stop };
    const out = encodeOpenAIChat(res, opts) as { choices: Array<{ finish_reason: string }> };
    expect(out.choices[0]?.finish_reason).toBe(finish);
  });

  it('joins text parts, returns thinking as reasoning_content and content "" for an empty answer', () => {
    const res: CanonicalResponse = {
      ...TOOLS_RESPONSE,
      content: [
        { type: 'thinking', text: 'hmm', signature: 'sig' },
        { type: 'text', text: 'a' },
        { type: 'text', text: 'b' },
      ],
      stop_reason: 'end_turn',
    };
    const out = encodeOpenAIChat(res, opts) as { choices: Array<{ message: Record<string, unknown> }> };
    expect(out.choices[0]?.message).toMatchObject({ content: 'ab', reasoning_content: 'hmm' });
    expect(out.choices[0]?.message.tool_calls).toBeUndefined();
    const empty = encodeOpenAIChat({ ...res, content: [] }, opts) as { choices: Array<{ message: { content: unknown } }> };
    expect(empty.choices[0]?.message.content).toBe('');
  });
});

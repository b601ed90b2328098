import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CanonicalResponse } from '../canonical';
import { TOOLS_RESPONSE } from '../testing/samples';
import { encodeAnthropicMessage } from './messages-response';

const fixture = (name: string): unknown => JSON.parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8'));
const opts = { id: 'msg_gh123', model: 'claude-sonnet-4-5' };

describe('encodeAnthropicMessage', () => {
  it('matches the recorded message with tool_use blocks and cache-split usage', () => {
    expect(encodeAnthropicMessage(TOOLS_RESPONSE, opts)).toEqual(fixture('message-tools.json'));
  });

  it.each([
    ['end_turn', 'end_turn'],
    ['max_tokens', 'max_tokens'],
    ['stop_sequence', 'stop_sequence'],
    ['tool_use', 'tool_use'],
    ['content_filter', 'refusal'],
  ] as const)('maps stop reason %s to %s', (stop, expected) => {
    const out = encodeAnthropicMessage({ ...TOOLS_RESPONSE, stop_reason: stop }, opts) as { stop_reason: string };
    expect(out.stop_reason).toBe(expected);
  });

  it('renders thinking, redacted thinking, the stop sequence, and keeps unparseable tool arguments', () => {
    const res: CanonicalResponse = {
      ...TOOLS_RESPONSE,
      content: [
        { type: 'thinking', text: 'hmm', signature: 'sig' },
        { type: 'thinking', text: '', signature: 'opaque', redacted: true },
        { type: 'text', text: 'ok' },
        { type: 'tool_call', id: 't1', name: 'f', arguments: '' },
        { type: 'tool_call', id: 't2', name: 'f', arguments: '{"a":' },
      ],
      stop_reason: 'stop_sequence',
      stop_sequence: '###',
    };
    expect(encodeAnthropicMessage(res, opts)).toMatchObject({
      content: [
        { type: 'thinking', thinking: 'hmm', signature: 'sig' },
        { type: 'redacted_thinking', data: 'opaque' },
        { type: 'text', text: 'ok' },
        { type: 'tool_use', id: 't1', name: 'f', input: {} },
        { type: 'tool_use', id: 't2', name: 'f', input: '{"a":' },
      ],
      stop_sequence: '###',
    });
  });
});

import type { CanonicalResponse, StreamEvent } from '../canonical';

/** Canonical values shared by the codec specs (test support only). */

export const TOOLS_RESPONSE: CanonicalResponse = {
  id: 'upstream-1',
  model: 'gpt-4o-mini-2024-07-18',
  content: [
    { type: 'text', text: 'Checking both cities.' },
    { type: 'tool_call', id: 'call_paris', name: 'weather', arguments: '{"city":"Paris"}' },
    { type: 'tool_call', id: 'call_oslo', name: 'weather', arguments: '{"city":"Oslo"}' },
  ],
  stop_reason: 'tool_use',
  usage: { input_tokens: 120, output_tokens: 40, cache_read_tokens: 64, cache_write_tokens: 16, reasoning_tokens: 12 },
};

/** Text, then two parallel tool calls; usage arrives in two parts, the second after the stop. */
export const TOOLS_STREAM: StreamEvent[] = [
  { type: 'start', id: 'upstream-2', model: 'gpt-4o-mini-2024-07-18' },
  { type: 'usage', usage: { input_tokens: 120, cache_read_tokens: 64 } },
  { type: 'text_delta', index: 0, text: 'Checking.' },
  { type: 'block_stop', index: 0 },
  { type: 'tool_call_start', index: 1, id: 'call_paris', name: 'weather' },
  { type: 'tool_call_delta', index: 1, arguments: '{"city":' },
  { type: 'tool_call_delta', index: 1, arguments: '"Paris"}' },
  { type: 'block_stop', index: 1 },
  { type: 'tool_call_start', index: 2, id: 'call_oslo', name: 'weather' },
  { type: 'tool_call_delta', index: 2, arguments: '' },
  { type: 'tool_call_delta', index: 2, arguments: '{"city":"Oslo"}' },
  { type: 'block_stop', index: 2 },
  { type: 'stop', stop_reason: 'tool_use' },
  { type: 'usage', usage: { output_tokens: 40 } },
];

export const TEXT_STREAM: StreamEvent[] = [
  { type: 'start', id: 'upstream-3', model: 'gpt-4o-mini' },
  { type: 'text_delta', index: 0, text: 'Hello' },
  { type: 'text_delta', index: 0, text: ', "world"\n' },
  { type: 'stop', stop_reason: 'max_tokens' },
];

export function encodeAll(encoder: { push(ev: StreamEvent): string; finish(): string }, events: StreamEvent[]): string {
  let out = '';
  for (const ev of events) out += encoder.push(ev);
  return out + encoder.finish();
}

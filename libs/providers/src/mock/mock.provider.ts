import { randomUUID } from 'node:crypto';
import type { CanonicalRequest, CanonicalResponse, StreamEvent } from '@gatehouse/formats';
import { unsupportedField } from '@gatehouse/contracts';
import type { LocalProvider } from '../provider';
import { mockAnswer } from './answer';
import { mockEmbedding } from './embed';
import { countInputTokens, countTokens, preloadTokenizer, truncateToTokens } from './tokens';

function respond(req: CanonicalRequest, upstreamModel: string): CanonicalResponse {
  const answer = mockAnswer(req, upstreamModel);
  const input = countInputTokens(req);
  const id = `msg_mock_${randomUUID().replace(/-/g, '')}`;
  const usage = { input_tokens: input, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0 };
  if (answer.kind === 'tool') {
    usage.output_tokens = countTokens(`${answer.call.name} ${answer.call.arguments}`);
    return { id, model: upstreamModel, content: [answer.call], stop_reason: 'tool_use', usage };
  }
  const cut = req.max_tokens === undefined ? null : truncateToTokens(answer.text, req.max_tokens);
  const text = cut ?? answer.text;
  usage.output_tokens = cut === null ? countTokens(text) : req.max_tokens!;
  return { id, model: upstreamModel, content: [{ type: 'text', text }], stop_reason: cut === null ? 'end_turn' : 'max_tokens', usage };
}

/** n > 1: the same deterministic answer n times (usage counts every choice). */
function complete(req: CanonicalRequest, upstreamModel: string): CanonicalResponse {
  const res = respond(req, upstreamModel);
  const n = req.n ?? 1;
  if (n <= 1) return res;
  const alternatives = Array.from({ length: n - 1 }, () => {
    const alt = respond(req, upstreamModel);
    return { content: alt.content, stop_reason: alt.stop_reason };
  });
  return { ...res, alternatives, usage: { ...res.usage, output_tokens: res.usage.output_tokens * n } };
}

/** The same answer as `complete`, as stream events: text in word chunks, or one tool call. */
function toEvents(res: CanonicalResponse): StreamEvent[] {
  const events: StreamEvent[] = [{ type: 'start', id: res.id, model: res.model }];
  const part = res.content[0];
  if (part.type === 'tool_call') {
    events.push({ type: 'tool_call_start', index: 0, id: part.id, name: part.name });
    events.push({ type: 'tool_call_delta', index: 0, arguments: part.arguments });
  } else {
    for (const word of part.text.match(/\S+\s*/g) ?? []) events.push({ type: 'text_delta', index: 0, text: word });
  }
  events.push({ type: 'block_stop', index: 0 });
  events.push({ type: 'usage', usage: res.usage });
  events.push({ type: 'stop', stop_reason: res.stop_reason });
  return events;
}

/**
 * The built-in provider: answers in-process, deterministically, so the gateway works with no
 * upstream key. Honours response_format (JSON valid against the schema), max_tokens (the
 * answer is cut at that many tokens, stop reason max_tokens) and n (without stream). Loads the
 * tokenizer when created, so its first request does not pay for it.
 */
export function createMockProvider(): LocalProvider {
  preloadTokenizer();
  return {
    kind: 'local',
    type: 'mock',
    complete,
    stream: (req, model) => {
      if (req.n !== undefined && req.n > 1) throw unsupportedField('n', 'mock', 'n > 1 is honoured only without stream');
      return toEvents(respond(req, model));
    },
    embed: (req, model) => ({
      model,
      data: req.input.map((text) => mockEmbedding(text, req.dimensions)),
      usage: { input_tokens: req.input.reduce((n, text) => n + countTokens(text), 0) },
    }),
  };
}

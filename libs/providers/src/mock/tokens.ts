import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CanonicalRequest, ContentPart } from '@gatehouse/formats';

/** Special-token text in user input (e.g. "<|endoftext|>") is counted as plain text instead of throwing. */
const PLAIN = { disallowedSpecial: new Set<string>() };

/** Beyond this many characters the count is extrapolated from the prefix, keeping the mock under a few ms per request. */
const EXACT_CHARS = 32_768;

/** The o200k_base ranks as JSON, written next to this file by scripts/build.js from gpt-tokenizer's own ranks module. */
export const RANKS_FILE = 'o200k_base.ranks.json';

type Encoding = Pick<typeof import('gpt-tokenizer'), 'encode' | 'decode'>;

/**
 * gpt-tokenizer's o200k_base: from RANKS_FILE in `dir` when it is there (the built app), else from the
 * package (tests from source). The package's ranks are a 2 MB module of string literals: compiling it
 * left the ingress ~37 MB larger after its first tpm-limited request, parsing the same ranks as JSON
 * ~22 MB (the tables themselves are ~14 MB of heap). The encoder is the package's either way.
 */
export function loadEncoding(dir: string = __dirname): Encoding {
  const file = join(dir, RANKS_FILE);
  if (!existsSync(file)) return require('gpt-tokenizer') as Encoding;
  const ranks = JSON.parse(readFileSync(file, 'utf8')) as (string | number[])[];
  const { GptEncoding } = require('gpt-tokenizer/cjs/GptEncoding') as typeof import('gpt-tokenizer/cjs/GptEncoding');
  return GptEncoding.getEncodingApi('o200k_base', () => ranks);
}

/** The tables take ~15–20 MB: loaded on first use, so processes without a mock provider or a tpm limit never pay for them. */
let encoding: Encoding | null = null;
const encode: Encoding['encode'] = (text, opts) => (encoding ??= loadEncoding()).encode(text, opts);
const decode: Encoding['decode'] = (tokens) => (encoding ??= loadEncoding()).decode(tokens);

/**
 * Loads the tables now (~150–250 ms of one core) rather than on the first request that counts
 * tokens. The mock provider does it when it is created: it counts the usage of every request it
 * answers. A tpm limit counts only its keys' requests, so it keeps loading them on first use.
 */
export function preloadTokenizer(): void {
  encode('', PLAIN);
}

/** Whether the tables are loaded (for tests). */
export const tokenizerLoaded = (): boolean => encoding !== null;

/** The first `max` tokens of a text, or null when it has no more than that. */
export function truncateToTokens(text: string, max: number): string | null {
  const tokens = encode(text, PLAIN);
  return tokens.length <= max ? null : decode(tokens.slice(0, max));
}

export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  if (text.length <= EXACT_CHARS) return encode(text, PLAIN).length;
  return Math.round((encode(text.slice(0, EXACT_CHARS), PLAIN).length * text.length) / EXACT_CHARS);
}

function partText(part: ContentPart): string {
  switch (part.type) {
    case 'text':
    case 'thinking':
      return part.text;
    case 'tool_call':
      return `${part.name} ${part.arguments}`;
    case 'tool_result':
      return part.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
    case 'image':
      return '';
  }
}

/** The texts of a request that count as input: system text, message text, tool calls and results, tool definitions. */
export function inputTexts(req: CanonicalRequest): string[] {
  const texts: string[] = [];
  for (const s of req.system) texts.push(s.text);
  for (const m of req.messages) for (const p of m.content) texts.push(partText(p));
  if (req.tools) for (const t of req.tools) texts.push(`${t.name} ${t.description ?? ''} ${JSON.stringify(t.parameters)}`);
  return texts;
}

/** Input tokens of a request (its inputTexts, one per line). */
export function countInputTokens(req: CanonicalRequest): number {
  return countTokens(inputTexts(req).join('\n'));
}

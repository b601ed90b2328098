import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as packaged from 'gpt-tokenizer';
import { loadEncoding, RANKS_FILE } from './tokens';

const PLAIN = { disallowedSpecial: new Set<string>() };
const SAMPLES = [
  'Say hello to the benchmark.',
  'héllo wörld ✓ 日本語のテキスト 🎉 ÆØÅ',
  '  indented\n\tcode = [1, 2, 3]; // 12345678901234567890\r\n',
  'ignore <|endoftext|> as text',
  'Ünïcödé and byte-level tokens: \u0000\u0001 \ud83d\ude80 ',
  'the quick brown fox jumps over the lazy dog '.repeat(40),
];

describe('the tokenizer tables', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gh-ranks-'));
    const ranks = (require('gpt-tokenizer/cjs/bpeRanks/o200k_base') as { default: unknown }).default;
    writeFileSync(join(dir, RANKS_FILE), JSON.stringify(ranks));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('from the ranks JSON encode and decode exactly as gpt-tokenizer does', () => {
    const enc = loadEncoding(dir);
    for (const text of SAMPLES) {
      expect(enc.encode(text, PLAIN)).toEqual(packaged.encode(text, PLAIN));
      expect(enc.decode(enc.encode(text, PLAIN))).toBe(text);
    }
  });

  it('without the ranks JSON are gpt-tokenizer itself', () => {
    const empty = mkdtempSync(join(tmpdir(), 'gh-noranks-'));
    try {
      expect(loadEncoding(empty).encode).toBe(packaged.encode);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

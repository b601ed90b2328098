import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/app-process';

/** The built providers library counts tokens from the ranks JSON the build writes beside it (not the package's 2 MB module). */
describe('built tokenizer', () => {
  const dir = join(repoRoot(), 'dist', 'libs', 'providers', 'src', 'mock');

  it('the build wrote the ranks beside tokens.js, and counts from them match gpt-tokenizer', () => {
    const tokens = require(join(dir, 'tokens.js')) as typeof import('../../libs/providers/src/mock/tokens');
    expect(existsSync(join(dir, tokens.RANKS_FILE))).toBe(true);
    const built = tokens.loadEncoding();
    const packaged = require('gpt-tokenizer') as typeof import('gpt-tokenizer');
    expect(built.encode).not.toBe(packaged.encode);
    const text = 'Budgets that hold: 429 budget_exceeded at $0.01 — 日本語 too.';
    expect(built.encode(text)).toEqual(packaged.encode(text));
    expect(tokens.countTokens(text)).toBe(packaged.encode(text).length);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Reads a recorded wire example from ./fixtures (test helper). */
export const geminiFixture = (file: string): string => readFileSync(join(__dirname, 'fixtures', file), 'utf8');

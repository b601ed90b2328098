import { CheckSchema } from '@gatehouse/contracts';
import { score, type Labelled } from '../labelled.testing';
import { createModelAllowlistCheck } from './model-allowlist.check';

const check = createModelAllowlistCheck(CheckSchema.parse({ type: 'model_allowlist', models: ['gpt-4o-mini', 'claude-*', 'llama-3.?-*', 'mistral-small'] }) as never);
const detect = (model: string): string[] => [...(check.evaluate({ stage: 'input', texts: [] }, { requestId: 'r', team: 't', keyId: 'k', model }) as unknown as { details: string[] }).details];

const DENIED = (text: string): Labelled => ({ label: 'model_not_allowed', text });
const ALLOWED = (text: string): Labelled => ({ label: null, text });

const TABLE: Labelled[] = [
  ALLOWED('gpt-4o-mini'),
  ALLOWED('claude-3-5-sonnet'),
  ALLOWED('claude-opus-4'),
  ALLOWED('claude-'),
  ALLOWED('llama-3.1-70b'),
  ALLOWED('llama-3.3-8b-instruct'),
  ALLOWED('llama-3.x-anything'),
  ALLOWED('mistral-small'),
  ALLOWED('claude-haiku-3.5'),
  ALLOWED('claude-3-haiku-20240307'),
  ALLOWED('llama-3.2-'),
  ALLOWED('claude-*'),
  ALLOWED('llama-3.9-1b'),
  ALLOWED('claude-sonnet-4-5@20250929'),
  ALLOWED('claude-instant'),
  DENIED('gpt-4o'),
  DENIED('gpt-4o-mini-2024'),
  DENIED('GPT-4O-MINI'),
  DENIED('xgpt-4o-mini'),
  DENIED('claude'),
  DENIED('anthropic/claude-3'),
  DENIED('llama-3-70b'),
  DENIED('llama-3.10-70b'),
  DENIED('llama-3.1'),
  DENIED('mistral-small-latest'),
  DENIED('mistral-large'),
  DENIED(''),
  DENIED('o1-preview'),
  DENIED('gemini-1.5-pro'),
  DENIED('gpt-4o-mini '),
];

describe('model_allowlist check: labelled table', () => {
  it('glob match with * and ? (the rest literal, case-sensitive): precision and recall 1.0', () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(30);
    const s = score('model_allowlist', TABLE, detect);
    expect(s.precision).toBe(1);
    expect(s.recall).toBe(1);
  });
});

import { runBounded, type BoundedCase } from '../bounded-worker.testing';

/**
 * Every built-in detector stays linear on adversarial inputs of up to 1 MB: runs of one character,
 * repeated prefixes of what each detector looks for (so a match starts everywhere and fails late),
 * alternations, and the padded base64 token that used to hang the secrets check. A case that does
 * not finish within BOUND_MS is killed (the worker thread) and reported.
 */
const MB = 1 << 20;
const BOUND_MS = 3_000;

const fill = (unit: string, size: number): string => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);

const SHORT: Record<string, string> = {
  'padded base64 token': 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoxMjM0NTY3ODk=',
  'padded base64 token, 64 chars': 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoxMjM0NTY3ODkwYWJjZGVmZ2hpams=',
  'path-like token': 'a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v/w/x/y/z/0/1/2/3/4/5/6/7/8/9/A=',
  'word chain': 'abc-def-ghi-jkl-mno-pqr-stu-vwx-yz1-ab2-cd3-ef4-gh5-ij6-kl7-mn8-op9=',
};

const UNITS = [
  'a', 'A', '0', ' ', '\n', '\t', '-', '=', ']', '#', '*', '@', ':', '.', '/', '+', '(', '"', '_',
  '\u200b', '\u202e', '\uDB40\uDC41', '１', 'а', '\uFEFF',
  'sk-', 'sk-ant-', 'sk-proj-', 'AKIA', 'ASIA', '-----BEGIN ', '-----BEGIN A ', '-----BEGIN PRIVATE KEY-----', '-----END ',
  '-----BEGIN CERTIFICATE-----', 'eyJ', 'eyJhbGciOi.', 'xoxb-', 'ghp_', 'github_pat_', 'AIza', 'sk_live_', 'aws ',
  '+1 ', '+', '(555) ', '555-', '123-45-', '4111 ', '4111-', 'DE89 ', 'DE', '1.1.1.', '1.', '::', 'a:', 'a@', '@a.', 'a.', 'a.b@',
  'ignore ', 'ignore previous ', 'ignore all the ', 'pretend you ', 'reveal your ', '\nsystem: ', '\n', '\n#', '<|im_start|>', 'DAN ',
  'decode this and ', 'aGVsbG8g', 'you are no ', 'from now on, ', ']]]', '-----', '=====', '#####', '*****',
  'a\u200b', 'a ', '1-', '1 ', 'a-', 'a_', 'a/', 'A1', '/a', 'a1/', 'Ab1+', 'ab-cd1-', 'QUJD', 'a=', 'A1=',
];

const CHECKS: Record<string, Record<string, unknown>> = {
  pii: { type: 'pii', custom: [{ name: 'EMPLOYEE_ID', pattern: 'EMP-[0-9]{6}' }] },
  secrets: { type: 'secrets' },
  prompt_injection: { type: 'prompt_injection' },
  invisible_text: { type: 'invisible_text' },
  keywords: { type: 'keywords', words: ['internal only', 'project x'] },
  regex: { type: 'regex', pattern: '(?i)internal[ -]only' },
  max_tokens: { type: 'max_tokens', max: 10 },
  model_allowlist: { type: 'model_allowlist', models: ['gpt-*'] },
};

function cases(size: number): BoundedCase[] {
  const out: BoundedCase[] = [];
  for (const [checkName, check] of Object.entries(CHECKS)) {
    for (const [name, text] of Object.entries(SHORT)) {
      out.push({ name: `${checkName} / ${name}`, check, text });
      out.push({ name: `${checkName} / ${name} (output)`, check: { ...check, stage: 'output' }, text, stage: 'output' });
      out.push({ name: `${checkName} / ${name} x ${size}`, check, text: fill(`${text} `, size) });
    }
    for (const unit of UNITS) out.push({ name: `${checkName} / ${JSON.stringify(unit)} x ${size}`, check, text: fill(unit, size) });
  }
  return out;
}

describe('built-in detectors on adversarial inputs', () => {
  it(`finish every 1 MB input within ${BOUND_MS} ms`, async () => {
    const results = await runBounded(cases(MB), BOUND_MS);
    const slow = results.filter((r) => r.ms === null || r.ms > BOUND_MS || r.error).map((r) => `${r.name}: ${r.error ?? (r.ms === null ? 'killed' : `${Math.round(r.ms)} ms`)}`);
    expect(slow).toEqual([]);
    expect(results.length).toBeGreaterThan(700);
  }, 600_000);
});

import { PolicyBodySchema, type PolicyEvent, VerdictSchema } from '@gatehouse/contracts';
import type { EvaluationContext, EvaluationResult } from './evaluation';
import { Placeholders } from './placeholders';
import { compilePolicies } from './policy-set';
import { startWebhookServer } from './webhook-server.testing';

let version = 0;
const event = (body: Record<string, unknown>, v = ++version): PolicyEvent => ({ id: String(body.id), version: v, created_at: 0, policy: PolicyBodySchema.parse(body) });
const ctx = (over: Partial<EvaluationContext> = {}): EvaluationContext => ({ requestId: 'req-1', team: 'platform', keyId: 'key_1', keyName: 'dev', model: 'gpt-4o-mini', ...over });
const sync = (r: EvaluationResult | Promise<EvaluationResult>): EvaluationResult => {
  if (r instanceof Promise) throw new Error('expected a synchronous result');
  return r;
};

const piiRedact = { type: 'pii', entities: ['email', 'phone'], action: 'redact', stage: 'both' };
const secretsDeny = { type: 'secrets', action: 'deny', stage: 'both' };

describe('policy evaluator: scope', () => {
  const set = compilePolicies([
    event({ id: 'everyone', checks: [{ type: 'keywords', words: ['acme'], action: 'flag' }] }),
    event({ id: 'team-ml', scope: { teams: ['ml-*'] }, checks: [{ type: 'keywords', words: ['acme'], action: 'flag' }] }),
    event({ id: 'gpt-only', scope: { models: ['gpt-?o*'] }, checks: [{ type: 'keywords', words: ['acme'], action: 'flag' }] }),
    event({ id: 'key-dev', scope: { keys: ['dev'] }, checks: [{ type: 'keywords', words: ['acme'], action: 'flag' }] }),
    event({ id: 'attached', scope: { teams: [], models: ['gpt-*'] }, checks: [{ type: 'keywords', words: ['acme'], action: 'flag' }] }),
  ]);
  const ids = (c: EvaluationContext) => sync(set.evaluate('input', ['acme'], c)).verdicts.map((v) => v.policy_id);

  it('matches team, key (id or name) and model globs with * and ?', () => {
    expect(ids(ctx())).toEqual(['everyone', 'gpt-only', 'key-dev']);
    expect(ids(ctx({ team: 'ml-research', keyName: 'other', model: 'claude-3' }))).toEqual(['everyone', 'team-ml']);
    expect(ids(ctx({ model: 'gpt-4o' }))).toEqual(['everyone', 'gpt-only', 'key-dev']);
    expect(ids(ctx({ model: 'gpt-4-turbo' }))).toEqual(['everyone', 'key-dev']);
  });

  it('key-attached policies apply regardless of team/key scope, still limited by scope.models', () => {
    expect(ids(ctx({ policyIds: ['attached'] }))).toEqual(['attached', 'everyone', 'gpt-only', 'key-dev']);
    expect(ids(ctx({ policyIds: ['attached'], model: 'claude-3' }))).toEqual(['everyone', 'key-dev']);
  });

  it('with no policy in scope the result is "none" and the texts are unchanged', () => {
    const r = sync(compilePolicies([]).evaluate('input', ['hi'], ctx()));
    expect(r).toMatchObject({ action: 'none', texts: ['hi'], changed: false, verdicts: [], summary: null, denied: null });
  });
});

describe('policy evaluator: actions, ordering, redaction', () => {
  it('redacts with typed placeholders, the same value getting the same placeholder across messages and stages', () => {
    const set = compilePolicies([event({ id: 'pii', checks: [piiRedact] })]);
    const placeholders = new Placeholders();
    const input = sync(set.evaluate('input', ['mail a@x.io or b@y.io', 'again a@x.io, call +44 20 7946 0958'], ctx({ placeholders })));
    expect(input.action).toBe('redact');
    expect(input.texts).toEqual(['mail [EMAIL_1] or [EMAIL_2]', 'again [EMAIL_1], call [PHONE_1]']);
    const output = sync(set.evaluate('output', ['I will write to B@Y.IO'], ctx({ placeholders })));
    expect(output.texts).toEqual(['I will write to [EMAIL_2]']);
    expect(input.summary).toBe('redact; pii.pii=redact');
  });

  it('runs every check, deny wins, redactions of several checks compose, verdicts are in policy-id then file order', () => {
    const set = compilePolicies([
      event({ id: 'b-policy', checks: [{ type: 'keywords', words: ['acme'], action: 'redact' }, secretsDeny] }),
      event({ id: 'a-policy', checks: [piiRedact, { type: 'keywords', words: ['secret project'], action: 'flag' }] }),
    ]);
    const r = sync(set.evaluate('input', ['acme: x@y.io about the secret project, key AKIAIOSFODNN7EXAMPLE'], ctx()));
    expect(r.verdicts.map((v) => `${v.policy_id}#${v.check_index}:${v.check_type}`)).toEqual(['a-policy#0:pii', 'a-policy#1:keywords', 'b-policy#0:keywords', 'b-policy#1:secrets']);
    expect(r.action).toBe('deny');
    expect(r.denied).toEqual({ policyId: 'b-policy', checks: ['secrets'] });
    expect(r.texts[0]).toBe('[REDACTED]: [EMAIL_1] about the secret project, key AKIAIOSFODNN7EXAMPLE');
    expect(r.summary).toBe('deny; a-policy.pii=redact, a-policy.keywords=flag, b-policy.keywords=redact, b-policy.secrets=deny');
    for (const v of r.verdicts) expect(VerdictSchema.parse(v)).toEqual(v);
  });

  it('merges overlapping spans from different checks into one placeholder', () => {
    const set = compilePolicies([event({ id: 'p', checks: [piiRedact, { type: 'regex', pattern: 'x@y', action: 'redact' }] })]);
    expect(sync(set.evaluate('input', ['to x@y.io now'], ctx())).texts).toEqual(['to [EMAIL_1] now']);
  });

  it('stage filtering: input-only checks do not run on output, "both" runs on each', () => {
    const set = compilePolicies([event({ id: 'p', checks: [{ type: 'keywords', words: ['acme'], action: 'flag', stage: 'input' }, { ...secretsDeny }] })]);
    const out = sync(set.evaluate('output', ['acme AKIAIOSFODNN7EXAMPLE'], ctx()));
    expect(out.verdicts.map((v) => [v.check_type, v.stage])).toEqual([['secrets', 'output']]);
  });
});

describe('policy evaluator: monitor mode', () => {
  it('records what would have happened (applied=false) and changes nothing', () => {
    const set = compilePolicies([event({ id: 'shadow', mode: 'monitor', checks: [piiRedact, secretsDeny] })]);
    const r = sync(set.evaluate('input', ['a@x.io AKIAIOSFODNN7EXAMPLE'], ctx()));
    expect(r).toMatchObject({ action: 'none', texts: ['a@x.io AKIAIOSFODNN7EXAMPLE'], changed: false, summary: null, denied: null });
    expect(r.verdicts.map((v) => [v.check_type, v.action, v.mode, v.applied])).toEqual([['pii', 'redact', 'monitor', false], ['secrets', 'deny', 'monitor', false]]);
  });
});

describe('policy evaluator: errors and webhooks', () => {
  // A receiver per test: a request of an earlier test (the /slow calls abandoned at their timeout) that
  // reaches its server late lands in that test's `received`, never in the next test's.
  let server: Awaited<ReturnType<typeof startWebhookServer>>;
  beforeEach(async () => {
    server = await startWebhookServer();
  });
  afterEach(() => server.close());

  it('a deny check that times out fails closed unless on_error: allow; the verdict records the error', async () => {
    const hook = { type: 'webhook', url: `${server.url}/slow`, timeout_ms: 50, action: 'deny' };
    const closed = await compilePolicies([event({ id: 'strict', checks: [hook] })]).evaluate('input', ['x'], ctx());
    expect(closed.action).toBe('deny');
    expect(closed.verdicts[0]).toMatchObject({ outcome: 'error', applied: true, details: ['error:webhook timed out after 50 ms'] });
    const open = await compilePolicies([event({ id: 'lenient', on_error: 'allow', checks: [hook] })]).evaluate('input', ['x'], ctx());
    expect(open.action).toBe('none');
    expect(open.verdicts[0]).toMatchObject({ outcome: 'error', applied: false });
  });

  it('returns a Promise only when a synchronous webhook is in scope; webhooks see the redacted text', async () => {
    const set = compilePolicies([event({ id: 'p', checks: [piiRedact, { type: 'webhook', url: `${server.url}/classify`, action: 'flag' }] })]);
    const pending = set.evaluate('input', ['forbidden a@x.io'], ctx());
    expect(pending).toBeInstanceOf(Promise);
    const r = await pending;
    expect(r.action).toBe('redact');
    expect(r.verdicts.map((v) => [v.check_type, v.details])).toEqual([['pii', ['email']], ['webhook', ['webhook:forbidden word']]]);
    expect(server.received).toEqual([expect.objectContaining({ text: 'forbidden [EMAIL_1]' })]);
    expect(compilePolicies([event({ id: 'q', checks: [piiRedact] })]).evaluate('input', ['x'], ctx())).not.toBeInstanceOf(Promise);
  });

  it('async webhooks are not called inline but returned as deferred work', () => {
    const set = compilePolicies([event({ id: 'p', checks: [{ type: 'webhook', url: `${server.url}/classify`, async: true }] })]);
    const r = sync(set.evaluate('input', ['forbidden'], ctx()));
    expect(r.deferred).toEqual([expect.objectContaining({ policyId: 'p', checkIndex: 0, requestId: 'req-1', payload: { stage: 'input', text: 'forbidden', model: 'gpt-4o-mini', team: 'platform', key_id: 'key_1' } })]);
    expect(server.received).toEqual([]);
  });

  it('a policy that does not compile fails closed when in scope (on_error: deny)', () => {
    const bad: PolicyEvent = { id: 'bad', version: 1, created_at: 0, policy: PolicyBodySchema.parse({ id: 'bad', checks: [{ type: 'regex', pattern: '(a+)\\1' }] }) };
    const r = sync(compilePolicies([bad]).evaluate('input', ['hello'], ctx()));
    expect(r.action).toBe('deny');
    expect(r.verdicts[0]).toMatchObject({ check_type: 'policy', outcome: 'error' });
    expect(r.verdicts[0].details[0]).toMatch(/checks\[0\]\.pattern: invalid regular expression for RE2/);
  });
});

describe('compilePolicies', () => {
  it('keeps the latest version per id and reuses unchanged compiled policies', () => {
    const v1 = event({ id: 'p', checks: [{ type: 'keywords', words: ['one'], action: 'flag' }] }, 1);
    const v2 = event({ id: 'p', checks: [{ type: 'keywords', words: ['two'], action: 'flag' }] }, 2);
    const other = event({ id: 'o', checks: [{ type: 'keywords', words: ['x'], action: 'flag' }] }, 1);
    const first = compilePolicies([v2, v1, other]);
    expect(first.get('p')?.version).toBe(2);
    const second = compilePolicies([v2, other], first);
    expect(second.get('o')).toBe(first.get('o'));
    expect(sync(second.evaluate('input', ['one two'], ctx())).verdicts.map((v) => v.policy_version)).toEqual([2]);
  });
});

describe('policy evaluator: time budget', () => {
  const slow = { type: 'regex', pattern: '(?i)(?:x|y)+z', action: 'flag' };
  const big = 'xy'.repeat(100_000);
  const twoChecks = (onError: 'deny' | 'allow') =>
    compilePolicies([event({ id: `budget-${onError}`, on_error: onError, checks: [slow, { type: 'keywords', words: ['never-here'], action: 'flag' }] })]);

  it('a check that would start after the budget is spent errors, and on_error: deny denies whatever its action', () => {
    const r = sync(twoChecks('deny').evaluate('input', [big], ctx({ budgetMs: 1 })));
    expect(r.action).toBe('deny');
    expect(r.verdicts).toEqual([expect.objectContaining({ check_index: 1, outcome: 'error', applied: true, details: [expect.stringMatching(/time budget of 1 ms exceeded/)] })]);
  });

  it('on_error: allow lets the request through with the error verdict', () => {
    const r = sync(twoChecks('allow').evaluate('input', [big], ctx({ budgetMs: 1 })));
    expect(r.action).toBe('none');
    expect(r.verdicts).toEqual([expect.objectContaining({ check_index: 1, outcome: 'error', applied: false })]);
  });

  it('within the default budget every check runs', () => {
    const r = sync(twoChecks('deny').evaluate('input', ['xyz and never-here'], ctx()));
    expect(r.verdicts.map((v) => [v.check_index, v.outcome])).toEqual([[0, 'fail'], [1, 'fail']]);
  });
});

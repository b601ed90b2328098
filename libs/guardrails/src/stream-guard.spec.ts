import { PolicyBodySchema, type PolicyEvent } from '@gatehouse/contracts';
import type { EvaluationContext } from './evaluation';
import { Placeholders } from './placeholders';
import { compilePolicies } from './policy-set';
import { createStreamGuard, STREAM_WINDOW, type StreamGuard, type StreamStep } from './stream-guard';

const event = (body: Record<string, unknown>): PolicyEvent => ({ id: String(body.id), version: 1, created_at: 0, policy: PolicyBodySchema.parse(body) });
const ctx = (over: Partial<EvaluationContext> = {}): EvaluationContext => ({ requestId: 'req-1', team: 'platform', keyId: 'key_1', model: 'gpt-4o-mini', ...over });
const redactSet = compilePolicies([event({ id: 'r', checks: [{ type: 'pii', action: 'redact', stage: 'output' }, { type: 'secrets', action: 'redact', stage: 'output' }] })]);
const denySet = compilePolicies([event({ id: 'd', checks: [{ type: 'secrets', action: 'deny', stage: 'output' }] })]);

/** Feeds `text` in deltas of `size` characters; returns what was emitted, the steps and the max held-back length. */
function feed(guard: StreamGuard, text: string, size: number) {
  let emitted = '';
  let fed = 0;
  let maxHeld = 0;
  const steps: StreamStep[] = [];
  for (let i = 0; i < text.length; i += size) {
    const step = guard.push(text.slice(i, i + size));
    fed = Math.min(text.length, i + size);
    steps.push(step);
    emitted += step.emit;
    maxHeld = Math.max(maxHeld, fed - guard.result().texts[0].length);
    if (step.stop) break;
  }
  const last = guard.end() as StreamStep;
  steps.push(last);
  emitted += last.emit;
  return { emitted, steps, maxHeld };
}

const filler = (n: number): string => 'The quick brown fox jumps over the lazy dog. '.repeat(n);

describe('stream guard', () => {
  it.each([1, 2, 3, 7])('redacts an email and a key split across many %i-character deltas', (size) => {
    const text = `${filler(3)}Write to jane.doe@example.com with key sk-proj-4fG7hJ2kL9mN3pQ8rS1tU6vW0xY5zA2bC7dE9f now. ${filler(4)}jane.doe@example.com`;
    const { emitted } = feed(createStreamGuard(redactSet, ctx()), text, size);
    expect(emitted).toBe(`${filler(3)}Write to [EMAIL_1] with key [OPENAI_KEY_1] now. ${filler(4)}[EMAIL_1]`);
  });

  it('holds back at most about a window (plus the word in progress) on ordinary text', () => {
    const text = filler(40);
    const { emitted, maxHeld } = feed(createStreamGuard(redactSet, ctx()), text, 4);
    expect(emitted).toBe(text);
    expect(maxHeld).toBeLessThanOrEqual(STREAM_WINDOW + 4 + 'quick '.length);
  });

  it('does not hold back more than a window on text without spaces (CJK, minified JSON)', () => {
    const cjk = '日本語のテキストには空白がありません。'.repeat(40);
    expect(feed(createStreamGuard(redactSet, ctx()), cjk, 3).maxHeld).toBeLessThanOrEqual(STREAM_WINDOW + 3);
    const json = JSON.stringify({ items: Array.from({ length: 60 }, (_, i) => ({ id: i, name: `item-${i}` })) });
    const { emitted, maxHeld } = feed(createStreamGuard(redactSet, ctx()), json, 4);
    expect(emitted).toBe(json);
    expect(maxHeld).toBeLessThanOrEqual(STREAM_WINDOW + 4 + 'item-59'.length);
  });

  it('shares placeholders with the input stage of the same request', () => {
    const placeholders = new Placeholders();
    redactSet.evaluate('output', ['a@x.io b@y.io'], ctx({ placeholders }));
    const { emitted } = feed(createStreamGuard(redactSet, ctx({ placeholders })), `${filler(3)}b@y.io`, 5);
    expect(emitted.endsWith('[EMAIL_2]')).toBe(true);
  });

  it('stops the stream on deny before the secret is released', () => {
    const text = `${filler(4)}here is the key AKIAIOSFODNN7EXAMPLE and more ${filler(4)}`;
    const guard = createStreamGuard(denySet, ctx());
    const { emitted, steps } = feed(guard, text, 3);
    expect(emitted).not.toContain('AKIA');
    expect(steps[steps.length - 1].stop).toBe(true);
    expect(guard.push('more text')).toEqual({ emit: '', stop: true });
    expect(guard.result()).toMatchObject({ action: 'deny', denied: { policyId: 'd', checks: ['secrets'] } });
    expect(guard.result().verdicts).toHaveLength(1);
  });

  it('redacts a PEM private key block longer than the window', () => {
    const pem = `-----BEGIN PRIVATE KEY-----\n${'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n'.repeat(20)}-----END PRIVATE KEY-----`;
    const { emitted } = feed(createStreamGuard(redactSet, ctx()), `${filler(2)}${pem}\n${filler(2)}`, 6);
    expect(emitted).toBe(`${filler(2)}[PRIVATE_KEY_1]\n${filler(2)}`);
  });

  it('monitor mode passes text through unchanged and records the verdict', () => {
    const set = compilePolicies([event({ id: 'm', mode: 'monitor', checks: [{ type: 'secrets', action: 'deny', stage: 'output' }] })]);
    const text = `${filler(2)}AKIAIOSFODNN7EXAMPLE${filler(2)}`;
    const guard = createStreamGuard(set, ctx());
    const { emitted } = feed(guard, text, 5);
    expect(emitted).toBe(text);
    expect(guard.result().verdicts).toEqual([expect.objectContaining({ mode: 'monitor', applied: false, check_type: 'secrets' })]);
  });

  it('whole-answer checks run at end: json_schema deny stops the tail', () => {
    const set = compilePolicies([event({ id: 'j', checks: [{ type: 'json_schema', schema: { type: 'object', required: ['a'] } }] })]);
    const ok = createStreamGuard(set, ctx());
    expect(feed(ok, '{"a": 1}', 2).emitted).toBe('{"a": 1}');
    const bad = createStreamGuard(set, ctx());
    const { steps } = feed(bad, '{"b": 1}', 2);
    expect(steps[steps.length - 1].stop).toBe(true);
    expect(bad.result().verdicts[0]).toMatchObject({ check_type: 'json_schema', details: ['schema:/ must have required property \'a\''] });
  });

  it('passes deltas straight through when no windowed check is in scope', () => {
    const guard = createStreamGuard(compilePolicies([]), ctx());
    expect(guard.push('hello')).toEqual({ emit: 'hello', stop: false });
  });
});

describe('stream guard: a phone number split across chunks', () => {
  it('is redacted even when every delta carries two characters of it', () => {
    const guard = createStreamGuard(redactSet, ctx({ placeholders: new Placeholders() }));
    const { emitted } = feed(guard, 'You can call our office on +49 30 12345678 or write to us.', 2);
    expect(emitted).toBe('You can call our office on [PHONE_1] or write to us.');
  });
});

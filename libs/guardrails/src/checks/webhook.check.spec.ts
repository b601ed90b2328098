import { CheckSchema } from '@gatehouse/contracts';
import type { CheckVerdict } from '../check';
import { score, type Labelled } from '../labelled.testing';
import { startWebhookServer } from '../webhook-server.testing';
import { createWebhookCheck } from './webhook.check';

const ctx = { requestId: 'r', team: 'platform', keyId: 'key_1', model: 'gpt-4o-mini' };
let server: Awaited<ReturnType<typeof startWebhookServer>>;
beforeAll(async () => {
  server = await startWebhookServer();
});
afterAll(() => server.close());

const hook = (path: string, extra: Record<string, unknown> = {}) =>
  createWebhookCheck(CheckSchema.parse({ type: 'webhook', url: `${server.url}${path}`, timeout_ms: 300, ...extra }) as never);

const P = (text: string): Labelled => ({ label: 'webhook:forbidden word', text });
const N = (text: string): Labelled => ({ label: null, text });
const TABLE: Labelled[] = [
  ...['forbidden', 'this is forbidden', 'FORBIDDEN? no: forbidden', 'a forbidden topic', 'forbiddenness', 'x forbidden y', 'the forbidden city',
    'not forbidden (it says forbidden)', 'forbidden\nnewline', 'emoji 🚫 forbidden', 'forbidden forbidden', 'Ünïcödé forbidden', '"forbidden"', 'forbidden.', 'pre-forbidden'].map(P),
  ...['allowed', 'FORBIDDEN in caps is not matched by the double', 'forbid', 'for bidden', 'hello', '', 'forb1dden', 'f o r b i d d e n', 'permitted',
    'fine text', 'Ünïcödé', 'emoji 🚀', '{"json":true}', 'line\nbreak', 'forbade'].map(N),
];

describe('webhook check', () => {
  it('labelled table through a real HTTP round trip: precision and recall 1.0', async () => {
    const check = hook('/classify');
    const results = new Map<string, string[]>();
    for (const row of TABLE) {
      const v = (await check.evaluate({ stage: 'input', texts: [row.text] }, ctx)) as CheckVerdict;
      results.set(row.text, [...v.details]);
    }
    expect(TABLE.length).toBeGreaterThanOrEqual(30);
    const s = score('webhook', TABLE, (t) => results.get(t) ?? []);
    expect(s.precision).toBe(1);
    expect(s.recall).toBe(1);
  });

  it('POSTs {stage, text, model, team, key_id} with the configured headers and reads score', async () => {
    server.received.length = 0;
    const v = (await hook('/classify', { headers: { 'x-hook-auth': 'token-1' } }).evaluate({ stage: 'output', texts: ['a', 'forbidden'] }, ctx)) as CheckVerdict;
    expect(v).toMatchObject({ pass: false, score: 0.9 });
    expect(server.received[0]).toEqual({ stage: 'output', text: 'a\n\nforbidden', model: 'gpt-4o-mini', team: 'platform', key_id: 'key_1', headers: { auth: 'token-1' } });
  });

  it.each([
    ['/slow', /timed out after 300 ms/],
    ['/500', /HTTP 500/],
    ['/bad-json', /invalid JSON/],
    ['/bad-shape', /does not match/],
  ])('%s rejects with a WebhookError that names the problem, not the headers', async (path, message) => {
    const p = hook(path, { headers: { authorization: 'Bearer very-secret' } }).evaluate({ stage: 'input', texts: ['x'] }, ctx);
    await expect(p).rejects.toThrow(message);
    await expect(p).rejects.not.toThrow(/very-secret/);
  });
});

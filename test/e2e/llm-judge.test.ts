import OpenAI from 'openai';
import { freePort } from '../support/free-port';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream/server';
import { ADMIN_TOKEN, startGateway, type Gateway } from '../support/gateway-config';

/**
 * The llm_judge check on standalone: the judge model is asked through the gateway's own
 * /v1/chat/completions (a key of team gatehouse-system), answered by the mock upstream with a fixed
 * JSON verdict; inline deny, async flag verdict, and a judge timeout that follows on_error.
 */

const TEAMS = ['inline', 'async', 'closed', 'open'] as const;
type Team = (typeof TEAMS)[number];
const secretOf = (name: string) => `gh-judge-${name}-key-0123456789`;
const FAIL = '{"verdict": "fail", "score": 0.92, "reason": "asks for weapons"}';
const RUBRIC = 'Fail any request about building weapons.';

interface Verdict { policy_id: string; check_type: string; action: string; outcome: string; async: boolean | number; applied: boolean | number; details: string[] }

describe('llm_judge guardrail check (standalone, judge through the gateway)', () => {
  let mock: MockUpstream;
  let gw: Gateway;
  const client = (team: Team) => new OpenAI({ apiKey: secretOf(team), baseURL: `${gw.url}/v1`, maxRetries: 0 });
  const judge = (team: Team, extra: Record<string, unknown>, onError: 'deny' | 'allow' = 'deny') => ({
    id: `judge-${team}`, on_error: onError, scope: { teams: [team] },
    checks: [{ type: 'llm_judge', model: 'openai-model', rubric: RUBRIC, action: 'deny', ...extra }],
  });
  const ask = (team: Team) => client(team).chat.completions.create({ model: 'openai-model', messages: [{ role: 'user', content: 'how do I build a trebuchet?' }] }).withResponse();

  beforeAll(async () => {
    mock = await startMockUpstream();
    mock.setDefault({ text: FAIL, usage: { input: 120, output: 20 } });
    const port = await freePort();
    gw = await startGateway({
      mockUrl: mock.url,
      keys: [...TEAMS.map((team) => ({ name: `key-${team}`, secret: secretOf(team), team })), { name: 'judge', secret: secretOf('judge'), team: 'gatehouse-system' }],
      sections: { guardrails: { judge: { url: `http://127.0.0.1:${port}`, api_key: secretOf('judge') } } },
    }, { PORT: String(port) });
    for (const [team, extra, onError] of [['inline', {}, 'deny'], ['async', { async: true }, 'deny'], ['closed', { timeout_ms: 300 }, 'deny'], ['open', { timeout_ms: 300 }, 'allow']] as const) {
      const r = await fetch(`${gw.url}/admin/policies`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(judge(team, extra, onError)) });
      expect(r.status).toBe(201);
    }
    await new Promise((r) => setTimeout(r, 300));
  });
  afterAll(async () => {
    await gw?.stop();
    await mock?.close();
  });

  /** Polls the trace until its verdicts match; an async verdict lands after the judge answered, so allow for a loaded CI machine. */
  async function verdictsOf(requestId: string, want: (v: Verdict[]) => boolean): Promise<Verdict[]> {
    const until = Date.now() + 25_000;
    for (;;) {
      const verdicts = (await gw.trace(requestId, 20_000)).verdicts as Verdict[];
      if (want(verdicts)) return verdicts;
      if (Date.now() > until) {
        // What the guard did with the async check (run, passed, errored, queue delay) and the ingest's state, to tell a lost verdict from a slow one.
        const metrics = (await (await fetch(`${gw.url}/metrics`)).text()).split('\n').filter((l) => /^gatehouse_(guardrails_async|jobs|analytics|bus)/.test(l)).join('\n');
        throw new Error(`verdicts of ${requestId} never matched: ${JSON.stringify(verdicts)}\n--- metrics ---\n${metrics}\n--- gateway log tail ---\n${gw.app.logs().slice(-3000)}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('denies inline on the judge verdict; the judge call is routed, priced and traced under the system team', async () => {
    mock.reset();
    mock.setDefault({ text: FAIL, usage: { input: 120, output: 20 } });
    const err = await ask('inline').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    const e = err as InstanceType<typeof OpenAI.BadRequestError>;
    expect((e.error as { type: string; code: string }).type).toBe('guardrail_violation');
    expect((e.error as { code: string }).code).toBe('judge-inline');
    expect(mock.requests).toHaveLength(1);
    const sent = mock.requests[0]!.body as { messages: Array<{ role: string; content: string }> };
    expect(sent.messages[0]!.content).toContain(RUBRIC);
    expect(sent.messages[1]).toEqual({ role: 'user', content: 'how do I build a trebuchet?' });

    const until = Date.now() + 8000;
    let judged: Array<{ team: string; cost_usd: number | null; latency_ms: number; status: number }> = [];
    while (judged.length === 0 && Date.now() < until) {
      const r = await fetch(`${gw.url}/analytics/traces?team=gatehouse-system`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      judged = ((await r.json()) as { data: typeof judged }).data;
      if (judged.length === 0) await new Promise((res) => setTimeout(res, 200));
    }
    expect(judged[0]).toMatchObject({ team: 'gatehouse-system', status: 200 });
    expect(judged[0]!.cost_usd).toBeGreaterThan(0);
    expect(judged[0]!.latency_ms).toBeGreaterThan(0);
  });

  it('async: true answers at once and lands the judge verdict as an async flag verdict', async () => {
    const { response } = await ask('async');
    expect(response.status).toBe(200);
    const requestId = response.headers.get('x-gatehouse-request-id')!;
    const verdicts = await verdictsOf(requestId, (v) => v.some((x) => x.async));
    expect(verdicts).toEqual([expect.objectContaining({ policy_id: 'judge-async', check_type: 'llm_judge', action: 'flag', outcome: 'fail', details: ['llm_judge:asks for weapons'] })]);
    expect(Boolean(verdicts[0]!.async)).toBe(true);
  });

  it('a judge that does not answer within timeout_ms follows on_error: deny fails closed, allow fails open', async () => {
    mock.enqueue({ latency_ms: 1500, text: FAIL });
    const closed = await ask('closed').catch((e: unknown) => e);
    expect(closed).toBeInstanceOf(OpenAI.BadRequestError);
    expect(((closed as InstanceType<typeof OpenAI.BadRequestError>).error as { code: string }).code).toBe('judge-closed');

    mock.enqueue({ latency_ms: 1500, text: FAIL });
    const { response } = await ask('open');
    expect(response.status).toBe(200);
    const verdicts = await verdictsOf(response.headers.get('x-gatehouse-request-id')!, (v) => v.length > 0);
    expect(verdicts).toEqual([expect.objectContaining({ policy_id: 'judge-open', check_type: 'llm_judge', outcome: 'error', details: ['error:judge timed out after 300 ms'] })]);
    expect(Boolean(verdicts[0]!.applied)).toBe(false);
  });
});

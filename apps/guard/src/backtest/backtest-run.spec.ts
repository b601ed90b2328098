import type { TraceTextCursor, TraceTextFilter, TraceTextRow } from '@gatehouse/clickhouse';
import type { PolicyEvent } from '@gatehouse/contracts';
import { runBacktest } from './backtest-run';
import type { TraceTextSource } from './trace-text-source';

const event = (version: number, pattern: string, mode: 'enforce' | 'monitor' = 'enforce'): PolicyEvent => ({
  id: 'p', version, created_at: 0,
  policy: { id: 'p', mode, on_error: 'deny', scope: { teams: ['*'], keys: ['*'], models: ['*'] }, checks: [{ type: 'regex', stage: 'input', action: 'deny', pattern }] },
});

function row(i: number, text: string | null): TraceTextRow {
  return { request_id: `r${String(i).padStart(3, '0')}`, ts: 1000 + i, team: i % 2 ? 'odd' : 'even', key_id: 'k', key_name: 'k', model: 'm', request_body: text === null ? null : JSON.stringify({ messages: [{ role: 'user', content: text }] }), response_body: null };
}

/** An in-memory store answering pages in (ts, request_id) order, counting the pages it served. */
function source(rows: TraceTextRow[]): TraceTextSource & { pages: number } {
  return {
    pages: 0,
    async count() {
      return { total: rows.length, with_bodies: rows.filter((r) => r.request_body !== null).length };
    },
    async page(_f: TraceTextFilter, after: TraceTextCursor | null, limit: number) {
      this.pages++;
      return rows.filter((r) => !after || r.ts > after.ts || (r.ts === after.ts && r.request_id > after.request_id)).slice(0, limit);
    },
    async close() {},
  };
}

const filter = { from: 0, to: 10_000, teams: [], models: [] };
const settings = { pageRows: 7, rowsPerSecond: 1_000_000, sampleIds: 3 };

describe('runBacktest', () => {
  // 50 rows: every 5th without a body; of the others, "alpha" in i % 3 === 0, "beta" in i % 4 === 0.
  const rows = Array.from({ length: 50 }, (_, i) => row(i, i % 5 === 4 ? null : `${i % 3 === 0 ? 'alpha ' : ''}${i % 4 === 0 ? 'beta' : 'x'}`));
  const withBody = rows.filter((r) => r.request_body !== null);
  const alpha = withBody.filter((_, n) => Number(withBody[n]!.request_id.slice(1)) % 3 === 0).map((r) => r.request_id);
  const beta = withBody.filter((r) => Number(r.request_id.slice(1)) % 4 === 0).map((r) => r.request_id);

  it('counts actions, checks, teams and models over every page, skips rows without bodies, and samples ids', async () => {
    const src = source(rows);
    const r = (await runBacktest(src, { candidate: event(2, 'alpha'), draft: false, active: null, filter }, settings, { total: 50 }))!;
    expect(src.pages).toBe(8);
    expect(r.rows).toEqual({ scanned: 50, evaluated: 40, skipped_no_bodies: 10, out_of_scope: 0 });
    expect(r.by_action).toEqual({ none: 40 - alpha.length, flag: 0, redact: 0, deny: alpha.length });
    expect(r.by_check).toEqual([{ index: 0, type: 'regex', name: null, deny: alpha.length, redact: 0, flag: 0, error: 0 }]);
    expect(r.by_team.even!.deny + r.by_team.odd!.deny).toBe(alpha.length);
    expect(r.by_model).toEqual({ m: { none: 40 - alpha.length, flag: 0, redact: 0, deny: alpha.length } });
    expect(r.samples.deny).toEqual(alpha.slice(0, 3));
    expect(r.vs_active).toBeNull();
  });

  it('compares a monitor-mode draft with the active version as if both were enforced', async () => {
    const r = (await runBacktest(source(rows), { candidate: event(3, 'beta', 'monitor'), draft: true, active: event(2, 'alpha'), filter }, settings, { total: 50 }))!;
    const gained = beta.filter((id) => !alpha.includes(id));
    const lost = alpha.filter((id) => !beta.includes(id));
    expect(r.policy).toEqual({ id: 'p', version: null, draft: true });
    expect(r.vs_active).toEqual({
      active_version: 2,
      changed: gained.length + lost.length,
      transitions: { 'deny->none': { count: lost.length, samples: lost.slice(0, 3) }, 'none->deny': { count: gained.length, samples: gained.slice(0, 3) } },
    });
  });

  it('stops between pages when cancelled, reporting progress up to there', async () => {
    const progress: number[] = [];
    const r = await runBacktest(source(rows), { candidate: event(2, 'alpha'), draft: false, active: null, filter }, settings, {
      total: 50,
      onProgress: async (done) => void progress.push(done),
      cancelled: async () => progress.length >= 2,
    });
    expect(r).toBeNull();
    expect(progress).toEqual([7, 14]);
  });
});

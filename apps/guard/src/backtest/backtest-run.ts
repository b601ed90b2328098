import type { TraceTextFilter } from '@gatehouse/clickhouse';
import type { PolicyEvent } from '@gatehouse/contracts';
import { BacktestPolicy } from './backtest-policy';
import { BacktestTally } from './backtest-tally';
import type { TraceTextSource } from './trace-text-source';

export interface BacktestSettings {
  pageRows: number;
  /** Rows read per second at most (keeps a long backtest from starving ClickHouse and the guard). */
  rowsPerSecond: number;
  sampleIds: number;
}

export interface BacktestSubject {
  candidate: PolicyEvent;
  draft: boolean;
  active: PolicyEvent | null;
  filter: TraceTextFilter;
}

export interface BacktestHooks {
  /** Rows in the range (for progress); counted by the caller. */
  total: number;
  onProgress?: (done: number, total: number) => Promise<void>;
  /** Asked between pages; true stops the run (it answers null). */
  cancelled?: () => Promise<boolean>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Replays stored traffic of a range through a policy version and the active version: one page of
 * rows in memory at a time (keyset paging), rows without a retained request body counted as
 * skipped. Answers the result, or null when cancelled.
 */
export async function runBacktest(source: TraceTextSource, subject: BacktestSubject, settings: BacktestSettings, hooks: BacktestHooks) {
  const candidate = new BacktestPolicy(subject.candidate);
  const sameAsActive = subject.active !== null && !subject.draft && subject.active.version === subject.candidate.version;
  const active = subject.active && !sameAsActive ? new BacktestPolicy(subject.active) : null;
  const tally = new BacktestTally(subject.candidate.policy.checks, settings.sampleIds);
  const started = Date.now();
  let after = null;
  for (;;) {
    if (hooks.cancelled && (await hooks.cancelled())) return null;
    const rows = await source.page(subject.filter, after, settings.pageRows);
    for (const row of rows) {
      if (row.request_body === null) {
        tally.skipped();
        continue;
      }
      const outcome = candidate.evaluate(row);
      tally.add(row, outcome, active ? active.evaluate(row) : sameAsActive ? outcome : null);
    }
    const done = tally.rows.scanned;
    await hooks.onProgress?.(done, Math.max(hooks.total, done));
    if (rows.length < settings.pageRows) break;
    const last = rows[rows.length - 1]!;
    after = { ts: last.ts, request_id: last.request_id };
    const ahead = (done / settings.rowsPerSecond) * 1000 - (Date.now() - started);
    if (ahead > 0) await sleep(ahead);
  }
  return {
    policy: { id: subject.candidate.id, version: subject.draft ? null : subject.candidate.version, draft: subject.draft },
    range: { from: new Date(subject.filter.from).toISOString(), to: new Date(subject.filter.to).toISOString() },
    teams: [...subject.filter.teams],
    models: [...subject.filter.models],
    ...tally.view(),
    vs_active: subject.active ? { active_version: subject.active.version, ...tally.diffView() } : null,
    checks_not_run: candidate.notRun,
  };
}

export type BacktestResult = NonNullable<Awaited<ReturnType<typeof runBacktest>>>;

/** One fault scenario's outcome, for the resilience report. */
export interface ScenarioReport {
  name: string;
  /** Client answers by HTTP status ("error": no answer). */
  statuses: Map<string, number>;
  /** Traces the ingress produced: answers that carried a request id. */
  produced: number;
  /** Distinct request ids found in ClickHouse. */
  landed: number;
  /** Rows counted by the usage rollup (more than landed = duplicates). */
  rows: number;
  /** Time from the end of the fault (or of the load) until every trace had landed; null = not within the wait. */
  settleMs: number | null;
  note: string;
}

/** A markdown report: one row per scenario. */
export function formatReport(reports: readonly ScenarioReport[], run: { loadMs: number; concurrency: number; long: boolean }): string {
  const lines = [
    `# Resilience report`,
    '',
    `Run ${new Date().toISOString()}, profile ${run.long ? 'long' : 'short'} (load ${run.loadMs / 1000} s per scenario, ${run.concurrency} concurrent clients),`,
    'ingress and analytics as separate processes, one Kafka broker and one Redis of their own, analytics on a ClickHouse HTTP endpoint',
    '(test/support/services/clickhouse-http-server.js: the ClickHouse engine through chDB, in a process of its own). Produced = answers that carried a',
    'request id (each is one trace); landed = distinct request ids in ClickHouse; duplicates = usage rows beyond the produced count.',
    '',
    '| scenario | client answers | client errors | produced | landed | duplicates | all landed, after the fault and the load ended | notes |',
    '|---|---|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of reports) {
    const answers = [...r.statuses].sort().map(([s, n]) => `${s}: ${n}`).join(', ');
    const errors = [...r.statuses].filter(([s]) => s !== '200').reduce((n, [, v]) => n + v, 0);
    lines.push(`| ${r.name} | ${answers} | ${errors} | ${r.produced} | ${r.landed} | ${Math.max(0, r.rows - r.produced)} | ${r.settleMs === null ? 'not within the wait' : `${(r.settleMs / 1000).toFixed(1)} s`} | ${r.note} |`);
  }
  return lines.join('\n');
}

const NOTES_MARKER = '<!-- end of the generated report: what follows is kept when it is regenerated -->';

/** The new report followed by the hand-written notes of the previous file (everything after NOTES_MARKER). */
export function withKeptNotes(report: string, previous: string | null): string {
  const at = previous?.indexOf(NOTES_MARKER) ?? -1;
  const notes = previous && at >= 0 ? previous.slice(at + NOTES_MARKER.length) : '\n';
  return `${report}\n\n${NOTES_MARKER}${notes}`;
}

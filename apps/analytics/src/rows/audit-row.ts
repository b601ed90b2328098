import type { AuditEvent } from '@gatehouse/contracts';
import { fromDateTime64, toDateTime64 } from './rows';

/** An audit event as stored in the audit table: before/after as JSON text. */
export interface AuditRow {
  event_id: string;
  ts: string;
  actor: string;
  role: string;
  action: string;
  target_type: string;
  target_id: string;
  teams: string[];
  before: string | null;
  after: string | null;
  request_id: string;
  source_ip: string;
  status: number;
}

export const AUDIT_ROW_COLUMNS: readonly (keyof AuditRow)[] = ['event_id', 'ts', 'actor', 'role', 'action', 'target_type', 'target_id', 'teams', 'before', 'after', 'request_id', 'source_ip', 'status'];
export const AUDIT_NULLABLE_COLUMNS: readonly (keyof AuditRow)[] = ['before', 'after'];

const json = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));
const parsed = (s: string | null): unknown => (s === null ? null : JSON.parse(s));

export function auditToRow(e: AuditEvent): AuditRow {
  return {
    event_id: e.event_id,
    ts: toDateTime64(e.ts),
    actor: e.actor,
    role: e.role,
    action: e.action,
    target_type: e.target_type,
    target_id: e.target_id,
    teams: e.teams,
    before: json(e.before),
    after: json(e.after),
    request_id: e.request_id,
    source_ip: e.source_ip,
    status: e.status,
  };
}

/** A stored row as the audit API answers it (ts in epoch ms, before/after as JSON). */
export function auditFromRow(r: AuditRow) {
  return { ...r, ts: fromDateTime64(r.ts), before: parsed(r.before), after: parsed(r.after) };
}

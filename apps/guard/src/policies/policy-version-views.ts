import { compare, getValueByPointer } from 'fast-json-patch';
import type { PolicyEvent } from '@gatehouse/contracts';

/** One line of GET /admin/policies/:id/versions. */
export interface VersionListItem {
  version: number;
  created_at: number;
  actor: string | null;
  /** What the version does, e.g. "enforce, on_error deny; 2 checks: keywords/deny, pii/redact". */
  summary: string;
  /** Top-level fields that differ from the previous listed version (all fields for the first). */
  changed: string[];
}

/** One change of a diff: an RFC 6902 JSON Patch operation, plus the value it replaces or removes. */
export interface DiffChange {
  op: 'add' | 'remove' | 'replace';
  path: string;
  value?: unknown;
  old_value?: unknown;
}

const FIELDS = ['description', 'mode', 'on_error', 'scope', 'checks'] as const;

export function summarize(event: PolicyEvent): string {
  const p = event.policy;
  const checks = p.checks.map((c) => `${c.type}/${c.action}`).join(', ');
  return `${p.mode}, on_error ${p.on_error}; ${p.checks.length} check${p.checks.length === 1 ? '' : 's'}: ${checks}`;
}

/** The list view, oldest first: each version with its summary and the fields it changed. */
export function listVersions(versions: PolicyEvent[]): VersionListItem[] {
  return versions.map((event, i) => {
    const previous = versions[i - 1]?.policy;
    const changed = FIELDS.filter((f) => !previous || JSON.stringify(previous[f]) !== JSON.stringify(event.policy[f]));
    return { version: event.version, created_at: event.created_at, actor: event.actor ?? null, summary: summarize(event), changed };
  });
}

/** The structured diff of two versions' bodies: JSON Patch operations that turn `from` into `to`, each with the old value it replaces or removes. */
export function diffVersions(from: PolicyEvent, to: PolicyEvent): DiffChange[] {
  const before = from.policy as unknown as Record<string, unknown>;
  return compare(before, to.policy as unknown as Record<string, unknown>).map((op) => {
    if (op.op === 'add') return { op: 'add', path: op.path, value: op.value };
    if (op.op === 'remove') return { op: 'remove', path: op.path, old_value: getValueByPointer(before, op.path) };
    if (op.op === 'replace') return { op: 'replace', path: op.path, value: op.value, old_value: getValueByPointer(before, op.path) };
    throw new Error(`unexpected JSON Patch operation ${op.op} from compare()`);
  });
}

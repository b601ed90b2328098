import type { ResponseCapture } from '@gatehouse/cache';

/** A request that uses the cache: where its entry lives, for how long, and the bytes of its answer as they are sent. */
export interface CachePlan {
  key: string;
  ttlS: number;
  capture: ResponseCapture;
  /** Guardrail redactions + denials before the call: more after it mean the output guardrails changed or stopped the answer (not stored). */
  guardrailMark: number;
  /** The store's answer for `key`, asked early (while the limits are checked); null when not asked yet. */
  pending: Promise<string | null> | null;
}

/**
 * Masks known credentials by value: the provider keys and secrets of the config, the admin token.
 * A pattern (`sk-...`) cannot know that `3f9a...` (40 hex chars) or `gsk_...` is a key; the config
 * does. Built once at start-up into one regular expression of escaped literals (longest first),
 * which matches each value as written, JSON-escaped and URL-encoded.
 *
 * Values shorter than MIN_LENGTH are left alone: masking "test" everywhere would garble messages
 * and such a value is no secret anyway.
 */
export const MIN_LENGTH = 8;
export const MASKED = '***';

export class CredentialMask {
  private readonly re: RegExp | null;
  readonly size: number;
  /** The values masked (as given). */
  readonly values: readonly string[];

  constructor(values: Iterable<string | null | undefined>) {
    const forms = new Set<string>();
    const kept: string[] = [];
    for (const v of values) {
      if (typeof v !== 'string' || v.length < MIN_LENGTH) continue;
      kept.push(v);
      forms.add(v);
      forms.add(JSON.stringify(v).slice(1, -1));
      forms.add(encodeURIComponent(v));
    }
    const sorted = [...forms].sort((a, b) => b.length - a.length);
    this.size = sorted.length;
    this.values = kept;
    this.re = sorted.length === 0 ? null : new RegExp(sorted.map(escapeRegExp).join('|'), 'g');
  }

  /** The text with every known credential replaced by `***`; the same string when none occurs. */
  mask(text: string): string {
    return this.re === null || text.length < MIN_LENGTH ? text : text.replace(this.re, MASKED);
  }

  /** `mask` for optional values. */
  maskNullable<T extends string | null | undefined>(text: T): T {
    return (typeof text === 'string' ? this.mask(text) : text) as T;
  }
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

let installed = new CredentialMask([]);

/** Sets the process-wide mask (once, at start-up, from the loaded config). */
export function installCredentialMask(mask: CredentialMask): void {
  installed = mask;
}

/** The process-wide mask; empty until start-up installed one. */
export function credentialMask(): CredentialMask {
  return installed;
}

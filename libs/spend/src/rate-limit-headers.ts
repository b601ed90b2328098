import { WINDOW_MS, type LeaseGrant, type ScopeLimits, type ScopeState } from './counters.port';

/** A duration the way OpenAI writes it in x-ratelimit-reset-*: "250ms", "1.5s", "59s". */
export function formatReset(ms: number): string {
  if (ms <= 0) return '0s';
  if (ms < 1000) return `${Math.ceil(ms)}ms`;
  return `${Math.round(ms / 100) / 10}s`;
}

/**
 * OpenAI's x-ratelimit-{limit,remaining,reset}-{requests,tokens} for the tightest of the request's
 * scopes (key or team) that has that limit; none when no scope has it. reset = when the oldest
 * request in the window leaves it (the next slot frees). `unused`: the part of a quota lease the
 * states count that this replica has not admitted yet (not used, so not shown as used).
 */
export function rateLimitHeaders(scopes: readonly ScopeLimits[], states: readonly ScopeState[], now: number, unused: LeaseGrant = NOTHING): Record<string, string> | null {
  let out: Record<string, string> | null = null;
  for (const { names, limitOf, usedOf, unusedOf } of KINDS) {
    let best = -1;
    let remaining = 0;
    for (let i = 0; i < scopes.length; i++) {
      const limit = limitOf(scopes[i]);
      if (limit <= 0) continue;
      const left = Math.max(0, limit - (usedOf(states[i]) - unusedOf(unused)));
      if (best >= 0 && left >= remaining) continue;
      best = i;
      remaining = left;
    }
    if (best < 0) continue;
    const oldest = states[best].oldestMs;
    out ??= {};
    out[names.limit] = String(limitOf(scopes[best]));
    out[names.remaining] = String(remaining);
    out[names.reset] = oldest === null ? '0s' : formatReset(oldest + WINDOW_MS - now);
  }
  return out;
}

/** The header names are constants: a name built per response would be looked up in V8's string table each time. */
const KINDS: ReadonlyArray<{
  names: { limit: string; remaining: string; reset: string };
  limitOf: (s: ScopeLimits) => number;
  usedOf: (st: ScopeState) => number;
  unusedOf: (g: LeaseGrant) => number;
}> = [
  { names: { limit: 'x-ratelimit-limit-requests', remaining: 'x-ratelimit-remaining-requests', reset: 'x-ratelimit-reset-requests' }, limitOf: (s) => s.rpm, usedOf: (st) => st.requests, unusedOf: (g) => g.requests },
  { names: { limit: 'x-ratelimit-limit-tokens', remaining: 'x-ratelimit-remaining-tokens', reset: 'x-ratelimit-reset-tokens' }, limitOf: (s) => s.tpm, usedOf: (st) => st.tokens, unusedOf: (g) => g.tokens },
];

const NOTHING: LeaseGrant = { requests: 0, tokens: 0 };

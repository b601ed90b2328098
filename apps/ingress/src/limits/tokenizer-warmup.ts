import type { Logger } from '@gatehouse/observability';
import { preloadTokenizer, tokenizerLoaded } from '@gatehouse/providers';

/** What the warm-up reads of a key or team record. */
export interface TpmLimited {
  tpm: number | null;
  revoked_at?: number | null;
}

/** The part of a CompactedView (keys, teams) the warm-up reads. */
export interface TpmView {
  all(): TpmLimited[];
  onChange(listener: (id: string, value: TpmLimited | null) => void): void;
}

export interface Tokenizer {
  loaded(): boolean;
  load(): void;
}

const gptTokenizer: Tokenizer = { loaded: tokenizerLoaded, load: preloadTokenizer };

const needsTokens = (r: TpmLimited | null): boolean => r !== null && (r.tpm ?? 0) > 0 && !r.revoked_at;

/**
 * A tpm limit estimates every request's tokens with gpt-tokenizer, whose tables take ~150–250 ms of
 * one core to load. Loaded on a request, that stalls the event loop under every request in flight.
 * So they are loaded now (before the app listens) when a key or team already known has a tpm limit,
 * else on a turn of their own right after the first such key or team arrives (admin API, another
 * replica, a config reload). A process without tpm limits never loads them (~20 MB).
 */
export function warmTokenizerForTpm(views: readonly TpmView[], logger: Pick<Logger, 'info'>, tokenizer: Tokenizer = gptTokenizer): void {
  if (tokenizer.loaded()) return;
  const load = () => {
    const t0 = performance.now();
    tokenizer.load();
    logger.info({ ms: Math.round(performance.now() - t0) }, 'limits: gpt-tokenizer tables loaded for tpm estimates');
  };
  if (views.some((v) => v.all().some(needsTokens))) return load();
  let scheduled = false;
  const arrived = (_id: string, record: TpmLimited | null) => {
    if (scheduled || !needsTokens(record)) return;
    scheduled = true;
    setImmediate(() => {
      if (!tokenizer.loaded()) load();
    });
  };
  for (const v of views) v.onChange(arrived);
}

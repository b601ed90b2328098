import type { GatehouseConfig } from '@gatehouse/config';
import type { KeyRecord, TeamRecord } from '@gatehouse/contracts';
import type { Logger } from '@gatehouse/observability';
import { preloadTokenizer, tokenizerLoaded } from '@gatehouse/providers';

/** What the warm-up reads of a key or team record (teams have no revoked_at). */
export type TpmLimited = Pick<TeamRecord, 'tpm' | 'source'> & Partial<Pick<KeyRecord, 'revoked_at'>>;

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

/** A key or team made through the admin API with a tpm limit (config records: see configNeedsTokens). */
const adminTpm = (r: TpmLimited | null): boolean => r !== null && r.source === 'admin' && (r.tpm ?? 0) > 0 && !r.revoked_at;

/** Whether this process's config gives a key or a team a tpm limit. */
export const configNeedsTokens = (config: Pick<GatehouseConfig, 'keys' | 'teams'>): boolean =>
  config.keys.some((k) => (k.tpm ?? 0) > 0) || Object.values(config.teams).some((t) => (t.tpm ?? 0) > 0);

/**
 * A tpm limit estimates every request's tokens with gpt-tokenizer, whose tables take ~150–250 ms of
 * one core (and ~20 MB) to load. Loaded by a request, that stalls the event loop under every request
 * in flight. So they are loaded before the app listens when this process's config has a tpm limit
 * (every replica reads the same config) or a key or team made through the admin API has one, and on
 * a turn of their own right after such a key or team arrives (from any replica) or a config reload
 * adds one. Config records of other replicas arriving over the bus do not count: a replica whose own
 * config differs loads the tables on its first tpm-limited request, as before.
 */
export class TokenizerWarmup {
  private scheduled = false;

  constructor(
    private readonly logger: Pick<Logger, 'info'>,
    private readonly tokenizer: Tokenizer = gptTokenizer,
  ) {}

  /** At start-up, after the views caught up; keeps listening to them. */
  start(config: Pick<GatehouseConfig, 'keys' | 'teams'>, views: readonly TpmView[]): void {
    if (configNeedsTokens(config) || views.some((v) => v.all().some(adminTpm))) this.load();
    for (const v of views) v.onChange((_id, record) => adminTpm(record) && this.soon());
  }

  /** A config reload's teams (the part of the config a reload changes). */
  configReloaded(teams: GatehouseConfig['teams']): void {
    if (configNeedsTokens({ keys: [], teams })) this.soon();
  }

  private soon(): void {
    if (this.scheduled || this.tokenizer.loaded()) return;
    this.scheduled = true;
    setImmediate(() => this.load());
  }

  private load(): void {
    if (this.tokenizer.loaded()) return;
    const t0 = performance.now();
    this.tokenizer.load();
    this.logger.info({ ms: Math.round(performance.now() - t0) }, 'limits: gpt-tokenizer tables loaded for tpm estimates');
  }
}

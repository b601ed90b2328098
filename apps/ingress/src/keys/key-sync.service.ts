import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { BUS, type Bus, type Subscription } from '@gatehouse/bus/bus.port';
import { KeysTopic } from '@gatehouse/contracts/key';
import { RUNTIME, type Runtime } from '@gatehouse/runtime/runtime';
import { ReadinessRegistry } from '@gatehouse/runtime/readiness';
import { configKeyChanged, KeyStore, recordFromConfigKey } from './key-store';

export const KEY_STORE = Symbol('KEY_STORE');

/** Replays gatehouse.keys.v1 into the KeyStore before the app listens, then keeps it live; publishes config keys that changed. */
@Injectable()
export class KeySyncService implements OnModuleInit, OnModuleDestroy {
  private sub: Subscription | null = null;
  private caughtUp = false;

  constructor(
    @Inject(KEY_STORE) private readonly store: KeyStore,
    @Inject(BUS) private readonly bus: Bus,
    @Inject(RUNTIME) private readonly runtime: Runtime,
    readiness: ReadinessRegistry,
  ) {
    readiness.register('keys', () => ({ ok: this.caughtUp, detail: { keys: this.store.all().length } }));
  }

  async onModuleInit(): Promise<void> {
    this.sub = await this.bus.watch(KeysTopic, (id, record) => this.store.apply(id, record));
    this.caughtUp = true;
    const now = Date.now();
    for (const k of this.runtime.config.keys) {
      const fresh = recordFromConfigKey(k, now);
      const current = this.store.get(fresh.id);
      if (!configKeyChanged(current, fresh)) continue;
      const record = current ? { ...fresh, created_at: current.created_at, revoked_at: current.revoked_at } : fresh;
      this.store.apply(record.id, record);
      this.bus.publish(KeysTopic, record.id, record);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.sub?.close();
  }
}

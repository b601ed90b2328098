import { Inject, Module, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { BUS, type Bus } from '@gatehouse/bus';
import { ReadinessRegistry } from '@gatehouse/runtime';
import { KeyDirectory } from './key-directory';
import { KeyService } from './key.service';

/**
 * The process's one view of gatehouse.keys.v1 (imported by the ingress and the analytics modules;
 * Nest makes it one instance per process). Caught up before the app listens; readiness "keys".
 */
@Module({ providers: [KeyDirectory, KeyService], exports: [KeyDirectory, KeyService] })
export class KeysModule implements OnModuleInit, OnModuleDestroy {
  constructor(
    private readonly keys: KeyDirectory,
    @Inject(BUS) private readonly bus: Bus,
    readiness: ReadinessRegistry,
  ) {
    readiness.register('keys', () => ({ ok: keys.ready, detail: { keys: keys.size } }));
  }

  async onModuleInit(): Promise<void> {
    await this.keys.start(this.bus);
  }

  async onModuleDestroy(): Promise<void> {
    await this.keys.close();
  }
}

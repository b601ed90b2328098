import { Inject, Module } from '@nestjs/common';
import { BUS, type Bus } from '@gatehouse/bus';
import { ReadinessRegistry, ViewModule } from '@gatehouse/runtime';
import { KeyDirectory } from './key-directory';
import { KeyService } from './key.service';

/**
 * The process's one view of gatehouse.keys.v1 (imported by the ingress and the analytics modules;
 * Nest makes it one instance per process). Caught up before the app listens; readiness "keys".
 */
@Module({ providers: [KeyDirectory, KeyService], exports: [KeyDirectory, KeyService] })
export class KeysModule extends ViewModule {
  constructor(keys: KeyDirectory, @Inject(BUS) bus: Bus, readiness: ReadinessRegistry) {
    super(keys, bus, readiness, 'keys');
  }
}

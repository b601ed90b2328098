import { Inject, Injectable, Module, type OnModuleDestroy } from '@nestjs/common';
import { RUNTIME, type Runtime } from '@gatehouse/runtime';
import { InProcessVersionCounter } from './in-process-version-counter';
import { VERSION_COUNTER, type VersionCounter } from './version-counter.port';

async function createVersionCounter(runtime: Runtime): Promise<VersionCounter> {
  if (!runtime.env.REDIS_URL) return new InProcessVersionCounter();
  // ioredis costs memory: loaded only by processes that mint versions on Redis.
  const { RedisVersionCounter } = await import('./redis-version-counter');
  return new RedisVersionCounter(runtime.env.REDIS_URL);
}

@Injectable()
class VersionCounterLifecycle implements OnModuleDestroy {
  constructor(@Inject(VERSION_COUNTER) private readonly counter: VersionCounter) {}

  async onModuleDestroy(): Promise<void> {
    await this.counter.close();
  }
}

/** Provides the policy VersionCounter (VERSION_COUNTER): Redis when REDIS_URL is set, else in-process. */
@Module({
  providers: [{ provide: VERSION_COUNTER, useFactory: createVersionCounter, inject: [RUNTIME] }, VersionCounterLifecycle],
  exports: [VERSION_COUNTER],
})
export class VersionCounterModule {}

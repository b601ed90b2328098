import type { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Bus, CompactedView } from '@gatehouse/bus';
import type { ReadinessRegistry } from './readiness';

/**
 * The Nest lifecycle of a process's one view of a compacted topic: ready (readiness check `name`)
 * once replayed, which happens before the app listens; closed on shutdown.
 */
export abstract class ViewModule implements OnModuleInit, OnModuleDestroy {
  protected constructor(
    private readonly view: CompactedView<unknown>,
    private readonly bus: Bus,
    readiness: ReadinessRegistry,
    name: string,
  ) {
    readiness.register(name, () => ({ ok: view.ready, detail: { [name]: view.size } }));
  }

  async onModuleInit(): Promise<void> {
    await this.view.start(this.bus);
  }

  async onModuleDestroy(): Promise<void> {
    await this.view.close();
  }
}

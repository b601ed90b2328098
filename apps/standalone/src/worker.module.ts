import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { BUS, type Bus } from '@gatehouse/bus';
import { ReadinessRegistry, LOGGER, HOT_PATH, HotPathHolder, type HotPath } from '@gatehouse/runtime';
import type { Logger } from '@gatehouse/observability';
import { AsyncChecksModule } from '../../guard/src';
import { IngressModule } from '../../ingress/src';
import { PrimaryProxy } from './primary-proxy';
import { answerMetricDumps, collectClusterMetrics } from './cluster-metrics';
import { WorkerFrontDoor } from './worker-front-door';
import { hasSync, WriteBarrierInterceptor } from './write-barrier';

const PRIMARY_URL = Symbol('PRIMARY_URL');
const FRONT_DOOR = Symbol('FRONT_DOOR');

/**
 * One standalone HTTP worker: the full ingress (hot path, keys admin API) over the IPC bus, the
 * async guardrail checks of its own requests, and a front door that forwards everything else to the
 * primary. Its /readyz includes the primary's. Successful writes (local or forwarded) are answered
 * after every worker applied them.
 */
@Module({})
export class StandaloneWorkerModule implements OnApplicationShutdown {
  constructor(@Inject(PrimaryProxy) private readonly proxy: PrimaryProxy) {}

  static forPrimary(primaryUrl: string): DynamicModule {
    return {
      module: StandaloneWorkerModule,
      imports: [IngressModule, AsyncChecksModule],
      providers: [
        { provide: PRIMARY_URL, useValue: primaryUrl },
        { provide: APP_INTERCEPTOR, useClass: WriteBarrierInterceptor },
        {
          provide: PrimaryProxy,
          useFactory: (url: string, log: Logger, readiness: ReadinessRegistry, bus: Bus) => {
            const proxy = new PrimaryProxy(url, log, hasSync(bus) ? () => bus.sync() : undefined);
            readiness.register('primary', () => proxy.readiness());
            return proxy;
          },
          inject: [PRIMARY_URL, LOGGER, ReadinessRegistry, BUS],
        },
        {
          provide: FRONT_DOOR,
          useFactory: (v1: HotPath, holder: HotPathHolder, proxy: PrimaryProxy) => {
            answerMetricDumps();
            return (holder.handler = new WorkerFrontDoor(v1, proxy, () => collectClusterMetrics()));
          },
          inject: [HOT_PATH, HotPathHolder, PrimaryProxy],
        },
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.proxy.close();
  }
}

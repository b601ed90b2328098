import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { BUS } from '@gatehouse/bus';
import { CLICKHOUSE, CONFIG, LOGGER, RUNTIME, type Runtime } from './runtime';
import { ReadinessRegistry } from './readiness';
import { HealthController } from './health.controller';
import { AdminGuard } from './admin.guard';
import { HotPathHolder } from './serve';
import { ApiErrorFilter } from './api-error.filter';
import { LocalSpendSource } from '@gatehouse/spend';

/** Makes the process runtime (config, bus, store, logger) injectable everywhere, serves /healthz, /readyz, /metrics, and renders every error of a Nest route in one shape (ApiErrorFilter). */
@Global()
@Module({})
export class RuntimeModule {
  static forRoot(runtime: Runtime): DynamicModule {
    const providers = [
      { provide: RUNTIME, useValue: runtime },
      { provide: CONFIG, useValue: runtime.config },
      { provide: BUS, useValue: runtime.bus },
      { provide: CLICKHOUSE, useValue: runtime.clickhouse },
      { provide: LOGGER, useValue: runtime.logger },
      ReadinessRegistry,
      AdminGuard,
      HotPathHolder,
      LocalSpendSource,
    ];
    return {
      module: RuntimeModule,
      controllers: [HealthController],
      providers: [...providers, { provide: APP_FILTER, useClass: ApiErrorFilter }],
      exports: providers,
    };
  }
}

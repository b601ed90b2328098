import type { DynamicModule, Type } from '@nestjs/common';
import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createLogger } from '@gatehouse/observability/logger';
import { createBus, createStore } from './adapters';
import { RuntimeModule } from './runtime.module';
import type { AppRole, Runtime } from './runtime';
import { serve } from './serve';
import { failStartup, loadSettings } from './wire';

export interface AppSpec {
  role: AppRole;
  defaultPort: number;
  modules: Array<Type<unknown> | DynamicModule>;
  needsStore: boolean;
}

/** Validate env and config, wire the adapters, start Nest; on SIGTERM drain and exit. Any start-up failure exits 1 with the reason. */
export async function startApp(spec: AppSpec): Promise<{ app: NestFastifyApplication; runtime: Runtime }> {
  let settings;
  try {
    settings = loadSettings(spec.role);
  } catch (e) {
    failStartup(e);
  }
  const logger = createLogger(settings.env.LOG_LEVEL);
  try {
    const bus = await createBus(spec.role, settings.env, logger);
    const clickhouse = spec.needsStore ? await createStore(settings.env, logger) : null;
    const runtime: Runtime = {
      role: spec.role,
      env: settings.env,
      config: settings.loaded.config,
      configSource: settings.loaded.source,
      bus,
      clickhouse,
      logger,
      adminToken: settings.adminToken,
    };
    @Module({ imports: [RuntimeModule.forRoot(runtime), ...spec.modules] })
    class RootModule {}
    const port = settings.env.PORT ?? spec.defaultPort;
    const app = await serve(runtime, { module: RootModule }, port);
    const shutdown = async (signal: string) => {
      logger.info({ signal }, 'shutting down');
      const hard = setTimeout(() => process.exit(1), 15_000);
      hard.unref();
      try {
        await app.close();
        await bus.flush(5_000);
        await bus.close();
        await clickhouse?.close();
      } finally {
        process.exit(0);
      }
    };
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    process.once('SIGINT', () => void shutdown('SIGINT'));
    logger.info({ role: spec.role, port, config: runtime.configSource }, 'gatehouse listening');
    return { app, runtime };
  } catch (e) {
    failStartup(e, logger);
  }
}

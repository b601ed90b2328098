import type { DynamicModule, Type } from '@nestjs/common';
import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Bus } from '@gatehouse/bus';
import { configuredCredentials } from '@gatehouse/config';
import { CredentialMask, installCredentialMask, createLogger, type Logger } from '@gatehouse/observability';
import { createBus, createStore } from './adapters';
import { RuntimeModule } from './runtime.module';
import type { AppRole, Runtime } from './runtime';
import { serve } from './serve';
import { failStartup, listenHost, loadSettings, type Settings } from './settings';

export interface AppSpec {
  role: AppRole;
  defaultPort: number;
  modules: Array<Type<unknown> | DynamicModule>;
  needsStore: boolean;
  /** Settings the caller already loaded (else loaded here). */
  settings?: Settings;
  /** Where to listen instead of PORT/HOST, e.g. the standalone primary's internal 127.0.0.1 port (0 = any free port). */
  listen?: { port: number; host: string };
  /** The bus instead of the one createBus picks, e.g. the IPC bus of a standalone worker. */
  bus?: (logger: Logger) => Bus;
  /** Runs first when the process shuts down, before the app closes (the standalone primary drains its workers). */
  beforeShutdown?: () => Promise<void>;
}

export interface StartedApp {
  app: NestFastifyApplication;
  runtime: Runtime;
  /** The port the app listens on (resolved when it asked for port 0). */
  port: number;
  /** Drain and exit 0; the same as SIGTERM. Safe to call more than once. */
  shutdown(reason: string): Promise<void>;
}

/** Validate env and config, wire the adapters, start Nest; on SIGTERM drain and exit. Any start-up failure exits 1 with the reason. */
export async function startApp(spec: AppSpec): Promise<StartedApp> {
  let settings: Settings;
  try {
    settings = spec.settings ?? loadSettings(spec.role);
  } catch (e) {
    failStartup(e);
  }
  installCredentialMask(new CredentialMask([...configuredCredentials(settings.loaded.config, settings.env), settings.adminToken]));
  const logger = createLogger(settings.env.LOG_LEVEL);
  // From the first moment, SIGHUP must not end the process (its default): apps with live config
  // (ingress) add their own handler once started; a SIGHUP before that, or to the others, changes nothing.
  process.on('SIGHUP', () => {
    if (process.listenerCount('SIGHUP') === 1) logger.info({ role: spec.role }, 'SIGHUP: nothing to reload in this process');
  });
  try {
    const bus = spec.bus ? spec.bus(logger) : await createBus(spec.role, settings.env, logger);
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
    const listen = spec.listen ?? { port: settings.env.PORT ?? spec.defaultPort, host: listenHost(spec.role, settings.env) };
    const app = await serve(runtime, { module: RootModule }, listen.port, listen.host);
    const address = app.getHttpServer().address();
    const port = typeof address === 'object' && address !== null ? address.port : listen.port;
    let closing: Promise<void> | null = null;
    const shutdown = (reason: string): Promise<void> =>
      (closing ??= (async () => {
        logger.info({ reason }, 'shutting down');
        try {
          await spec.beforeShutdown?.();
          const hard = setTimeout(() => process.exit(1), 15_000);
          hard.unref();
          await app.close();
          await bus.flush(5_000);
          await bus.close();
          await clickhouse?.close();
        } finally {
          process.exit(0);
        }
      })());
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
    process.on('SIGINT', () => void shutdown('SIGINT'));
    logger.info({ role: spec.role, port, config: runtime.configSource }, 'gatehouse listening');
    return { app, runtime, port, shutdown };
  } catch (e) {
    failStartup(e, logger);
  }
}

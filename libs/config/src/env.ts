import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from './interpolate';
import { formatZodError } from './load';

const optionalUrl = (protocols: string[]) =>
  z.string().optional().refine((v) => v === undefined || v === '' || protocols.some((p) => v.startsWith(p)), {
    message: `must start with ${protocols.join(' or ')}`,
  });

export const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Listen address; unset: 127.0.0.1 for standalone (not reachable from the network), 0.0.0.0 for the separate apps. */
  HOST: z.string().min(1).optional(),
  KAFKA_BROKERS: z.string().optional().refine((v) => !v || v.split(',').every((b) => /^[^:\s]+:\d+$/.test(b.trim())), {
    message: 'must be a comma-separated list of host:port',
  }),
  KAFKA_CLIENT_ID: z.string().default('gatehouse'),
  CLICKHOUSE_URL: optionalUrl(['http://', 'https://']),
  CLICKHOUSE_USER: z.string().optional(),
  CLICKHOUSE_PASSWORD: z.string().optional(),
  /** One ClickHouse HTTP request (query or insert) gives up after this long; a failed insert is retried, then redelivered by the bus. */
  CLICKHOUSE_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(500).max(600_000).default(30_000),
  CLICKHOUSE_DATABASE: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).default('gatehouse'),
  REDIS_URL: optionalUrl(['redis://', 'rediss://']),
  GATEHOUSE_CONFIG: z.string().optional(),
  GATEHOUSE_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Seals the console's sign-in cookies (OIDC sessions); default: derived from the admin token. Every replica needs the same value. */
  GATEHOUSE_SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  GATEHOUSE_DATA_DIR: z.string().default('./.gatehouse'),
  GATEHOUSE_WORKERS: z.coerce.number().int().min(1).max(256).optional(),
  GATEHOUSE_INSTANCE_ID: z.string().optional(),
  /** Set by the standalone primary on the workers it forks: where its internal HTTP server listens. */
  GATEHOUSE_PRIMARY_URL: z.string().regex(/^http:\/\/127\.0\.0\.1:\d+$/, 'must be http://127.0.0.1:<port> (set by the standalone primary; do not start workers by hand)').optional(),
  /** Where the ingress asks the analytics app for a period's spend when a budget counter must be re-seeded. */
  GATEHOUSE_ANALYTICS_URL: optionalUrl(['http://', 'https://']),
  /** Test-only seam: shifts the clock of budget periods and rate windows by this many ms (docs/operations.md). */
  GATEHOUSE_TEST_CLOCK_OFFSET_MS: z.coerce.number().int().optional(),
  /** OpenTelemetry export (docs/configuration.md, "telemetry"); `telemetry.otlp` in the config wins over these. */
  OTEL_SDK_DISABLED: z.enum(['true', 'false']).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl(['http://', 'https://']),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalUrl(['http://', 'https://']),
  OTEL_EXPORTER_OTLP_HEADERS: z.string().optional().refine((v) => !v || v.split(',').every((p) => /^\s*[^=\s]+\s*=/.test(p)), {
    message: 'must be a comma-separated list of key=value',
  }),
  OTEL_EXPORTER_OTLP_PROTOCOL: z.enum(['http/protobuf', 'http/json'], { error: 'must be http/protobuf or http/json (gRPC is not supported)' }).optional(),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: z.enum(['http/protobuf', 'http/json'], { error: 'must be http/protobuf or http/json (gRPC is not supported)' }).optional(),
  OTEL_TRACES_SAMPLER: z.enum(['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio']).optional(),
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).optional(),
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type RawEnv = z.infer<typeof EnvSchema>;

export interface GatehouseEnv extends Omit<RawEnv, 'GATEHOUSE_WORKERS' | 'GATEHOUSE_DATA_DIR'> {
  GATEHOUSE_WORKERS: number;
  GATEHOUSE_DATA_DIR: string;
}

export function parseEnv(env: NodeJS.ProcessEnv): GatehouseEnv {
  const blankless: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') blankless[k] = v;
  const r = EnvSchema.safeParse(blankless);
  if (!r.success) throw new ConfigError(`invalid environment\n${formatZodError(r.error)}`);
  return {
    ...r.data,
    GATEHOUSE_WORKERS: r.data.GATEHOUSE_WORKERS ?? cpus().length,
    GATEHOUSE_DATA_DIR: resolve(r.data.GATEHOUSE_DATA_DIR),
  };
}

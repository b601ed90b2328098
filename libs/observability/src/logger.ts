import pino, { type Logger } from 'pino';

/** Keys whose values are never logged, at any depth pino redacts. */
const REDACT = [
  'authorization', 'headers.authorization', 'req.headers.authorization', '*.authorization',
  'headers["x-api-key"]', '*["x-api-key"]', 'api_key', '*.api_key', 'secret', '*.secret',
  'secret_access_key', '*.secret_access_key', 'password', '*.password', 'key', '*.key_secret',
];

let root: Logger | undefined;

export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  root = pino({
    level,
    base: { pid: process.pid },
    redact: { paths: REDACT, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
  return root;
}

export function logger(): Logger {
  return root ?? createLogger();
}

export type { Logger };

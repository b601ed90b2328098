import pino, { type DestinationStream, type Logger } from 'pino';
import { credentialMask } from './credential-mask';

/** Keys whose values are never logged, at any depth pino redacts. */
const REDACT = [
  'authorization', 'headers.authorization', 'req.headers.authorization', '*.authorization',
  'headers["x-api-key"]', '*["x-api-key"]', 'api_key', '*.api_key', 'secret', '*.secret',
  'secret_access_key', '*.secret_access_key', 'password', '*.password', 'key', '*.key_secret',
];

let root: Logger | undefined;

/**
 * Logs go to stdout. When credentials are known (credential-mask.ts, installed before the logger is
 * created), every line passes through the mask, whatever field or error stack carries the value.
 */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream): Logger {
  const mask = credentialMask();
  const options = {
    level,
    base: { pid: process.pid },
    redact: { paths: REDACT, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  const out = destination ?? pino.destination({ dest: process.stdout.fd || 1, sync: false });
  if (mask.size === 0) return (root = pino(options, out));
  const masked: DestinationStream = { write: (line: string) => out.write(mask.mask(line)) };
  return (root = pino(options, masked));
}

export function logger(): Logger {
  return root ?? createLogger();
}

export type { Logger };

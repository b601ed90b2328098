import { logLevel, type logCreator } from 'kafkajs';
import type { Logger } from '@gatehouse/observability';

/**
 * Warnings about choices made on purpose: retries are bounded so that an unreachable broker surfaces as
 * publish errors (our buffer retries the same messages; consumers are idempotent).
 */
const EXPECTED = [/^Limiting retries for the idempotent producer/];

/** Routes kafkajs logs (warn and above) into pino. */
export function pinoLogCreator(logger: Logger): logCreator {
  const log = logger.child({ component: 'kafkajs' });
  return () => ({ namespace, level, log: entry }) => {
    const { message, timestamp: _ts, logger: _l, ...extra } = entry as { message: string; timestamp?: string; logger?: string } & Record<string, unknown>;
    const fields = { namespace, ...extra };
    if (EXPECTED.some((re) => re.test(message))) log.debug(fields, message);
    else if (level === logLevel.ERROR || level === logLevel.NOTHING) log.error(fields, message);
    else if (level === logLevel.WARN) log.warn(fields, message);
    else if (level === logLevel.INFO) log.info(fields, message);
    else log.debug(fields, message);
  };
}

export const KAFKA_LOG_LEVEL = logLevel.WARN;

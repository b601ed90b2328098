/**
 * The standing hardening suite has two profiles: the short one runs in `npm test` (CI), the long
 * one with GATEHOUSE_LONG_TESTS=1 (more fuzz runs, longer fault windows, the soak).
 */
export const LONG = process.env.GATEHOUSE_LONG_TESTS === '1';

/** A number from the environment (e.g. GATEHOUSE_SOAK_MINUTES), else the default. */
export function envNumber(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

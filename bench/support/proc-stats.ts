import { readFileSync } from 'node:fs';

/** Resident set size now and its peak so far (VmHWM), MB, from /proc; NaN where /proc is unavailable. */
export function memoryMb(pid: number): { rss: number; peak: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return { rss: NaN, peak: NaN };
  }
}

/** A process' command name and the CPU time (user + system) it has used so far, ms, from /proc/<pid>/stat; null where unreadable (gone, or no /proc). */
export function processStat(pid: number): { comm: string; cpuMs: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    return { comm: stat.slice(stat.indexOf('(') + 1, close), cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND };
  } catch {
    return null;
  }
}

/** CPU time (user + system) the process has used so far, ms, from /proc/<pid>/stat; NaN where /proc is unavailable. */
export function cpuMs(pid: number): number {
  return processStat(pid)?.cpuMs ?? NaN;
}
/** USER_HZ: 100 on every Linux architecture Node supports. */
const CLOCK_TICKS_PER_SECOND = 100;

import { setFlagsFromString } from 'node:v8';

/**
 * Under load V8 lets the old space grow to several times the live heap before a full collection
 * (ingress: ~35 MB live, ~170 MB old space, 270-290 MB RSS). Growing it by at most 30 % per
 * collection keeps the RSS peak ~100 MB lower for more frequent, mostly concurrent, mark-compacts
 * (about a dozen per 5 s at 5,000 req/s, 4-5 ms of pause each). An explicit
 * --heap-growing-percent in NODE_OPTIONS or the command line wins. Imported first by main.ts so
 * that start-up runs under it too.
 */
const HEAP_GROWING_PERCENT = 30;

const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => a.includes('--heap-growing-percent'));
if (!given) setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);

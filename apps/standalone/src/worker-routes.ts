/** Paths a standalone worker answers itself (besides the /v1 hot path): the keys admin API and its own health and metrics. */
const LOCAL_EXACT = new Set(['/healthz', '/readyz', '/metrics', '/admin/keys']);

/** True when a worker serves this request URL itself; everything else (analytics, dashboard, policies, unknown paths) goes to the primary. */
export function servedByWorker(url: string): boolean {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  return LOCAL_EXACT.has(path) || path.startsWith('/admin/keys/');
}

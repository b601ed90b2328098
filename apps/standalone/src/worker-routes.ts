/** Paths a standalone worker answers itself (besides the /v1 hot path): the keys and teams admin APIs (with usage), its own targets view and config reload, and its own health and metrics. */
const LOCAL_EXACT = new Set(['/healthz', '/readyz', '/metrics', '/admin/keys', '/admin/teams', '/admin/targets', '/admin/config/reload']);

export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** True when a worker serves this request URL itself; everything else (analytics, dashboard, policies, unknown paths) goes to the primary. */
export function servedByWorker(url: string): boolean {
  const path = pathOf(url);
  return LOCAL_EXACT.has(path) || path.startsWith('/admin/keys/') || path.startsWith('/admin/teams/');
}

import 'reflect-metadata';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod, type Type } from '@nestjs/common';
import { AuthModule } from '@gatehouse/auth';
import { AnalyticsModule } from '../../analytics/src';
import { GuardModule } from '../../guard/src';
import { IngressModule } from '../../ingress/src';

const REQUIRES = (handler: object) => Reflect.getMetadataKeys(handler).map((k) => Reflect.getMetadata(k, handler)).find((v) => v && typeof v === 'object' && 'permission' in v) as { permission: string } | undefined;

/** Every controller of every module reachable from the apps' root modules. */
function controllers(): Type[] {
  const seen = new Set<unknown>();
  const out = new Set<Type>();
  const visit = (m: unknown) => {
    if (!m || seen.has(m)) return;
    seen.add(m);
    const mod = (m as { module?: unknown }).module ?? m;
    for (const c of (Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, mod as object) ?? []) as Type[]) out.add(c);
    for (const c of ((m as { controllers?: Type[] }).controllers ?? [])) out.add(c);
    for (const i of (Reflect.getMetadata(MODULE_METADATA.IMPORTS, mod as object) ?? []) as unknown[]) visit(i);
    for (const i of ((m as { imports?: unknown[] }).imports ?? [])) visit(i);
  };
  for (const root of [IngressModule, GuardModule, AnalyticsModule, AuthModule]) visit(root);
  return [...out];
}

function routes(): { path: string; method: string; permission: string | null }[] {
  const out: { path: string; method: string; permission: string | null }[] = [];
  for (const c of controllers()) {
    const base = String(Reflect.getMetadata(PATH_METADATA, c) ?? '');
    for (const name of Object.getOwnPropertyNames(c.prototype)) {
      const handler = (c.prototype as Record<string, unknown>)[name];
      if (typeof handler !== 'function' || name === 'constructor') continue;
      const sub = Reflect.getMetadata(PATH_METADATA, handler);
      if (sub === undefined) continue;
      const path = `/${[base, String(sub)].filter((p) => p && p !== '/').join('/')}`.replace(/\/+/g, '/');
      out.push({ path, method: RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number], permission: REQUIRES(handler)?.permission ?? null });
    }
  }
  return out;
}

describe('route permissions', () => {
  const all = routes();

  it('finds the admin, internal and analytics routes of every app', () => {
    const paths = all.map((r) => `${r.method} ${r.path}`);
    for (const p of ['POST /admin/keys', 'PUT /admin/teams/:team', 'PUT /admin/policies/:id', 'GET /analytics/traces/:request_id', 'GET /analytics/audit', 'POST /admin/tokens', 'POST /admin/config/reload']) expect(paths).toContain(p);
  });

  it('declares a permission on every /admin, /internal and /analytics route', () => {
    const undeclared = all.filter((r) => /^\/(admin|internal|analytics)\//.test(r.path) && r.permission === null).map((r) => `${r.method} ${r.path}`);
    expect(undeclared).toEqual([]);
  });
});

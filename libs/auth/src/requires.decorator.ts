import { SetMetadata } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import type { Permission } from './permissions';
import type { AuthRequest } from './auth-request';

/**
 * The teams a route acts on, from the request: the body's team, the team of the key in the URL,
 * the teams of a policy's scope... undefined when the target does not exist (the route answers 404).
 */
export type TeamResolver = (req: AuthRequest, ref: ModuleRef) => string | readonly string[] | undefined | Promise<string | readonly string[] | undefined>;

export type RouteScope = 'global' | 'caller' | TeamResolver;

export interface RouteRequirement {
  permission: Permission;
  scope: RouteScope;
}

export const REQUIRES = Symbol('gatehouse:requires');

/**
 * Declares what a route needs: a permission, and the team scope it is checked on (AuthzGuard
 * enforces it). `global`: admin only; `caller`: the caller's own teams (the route narrows its
 * answer); a resolver: the teams the request touches, each of which must be the caller's.
 */
export const Requires = (permission: Permission, scope: RouteScope) => SetMetadata(REQUIRES, { permission, scope } satisfies RouteRequirement);

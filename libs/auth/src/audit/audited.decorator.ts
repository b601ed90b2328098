import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import type { AuthRequest } from '../auth-request';
import { AuditInterceptor } from './audit.interceptor';

export interface AuditSpec {
  /** <target>.<verb>, e.g. key.create. */
  action: string;
  target: string;
  /** The target's id, from the request or the answer. */
  id: (req: AuthRequest, answer: unknown) => string;
  /** The target's state before the change (read before the handler runs); default none. */
  before?: (req: AuthRequest, ref: ModuleRef) => unknown;
  /** The target's state after the change; default the answer. */
  after?: (answer: unknown) => unknown;
}

export const AUDITED = Symbol('gatehouse:audited');

/** A route that changes something: every successful call is one event on gatehouse.audit.v1 (AuditInterceptor). */
export const Audited = (spec: AuditSpec) => applyDecorators(SetMetadata(AUDITED, spec), UseInterceptors(AuditInterceptor));

/** The audited target's id: the `:id` of the URL. */
export const idParam = (req: AuthRequest) => req.params?.id ?? '';

/** The audited target's id: the `id` of the answer (a create). */
export const answerId = (_req: AuthRequest, answer: unknown) => String((answer as { id?: unknown } | null)?.id ?? '');

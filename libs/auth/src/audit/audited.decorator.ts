import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import type { AuthRequest } from '../auth-request';
import { AuditInterceptor } from './audit.interceptor';
import { AUDITED, type AuditSpec } from './audit-spec';

export type { AuditSpec } from './audit-spec';

/** A route that changes something: every successful call is one event on gatehouse.audit.v1 (AuditInterceptor). */
export const Audited = (spec: AuditSpec) => applyDecorators(SetMetadata(AUDITED, spec), UseInterceptors(AuditInterceptor));

/** The audited target's id: the `:id` of the URL. */
export const idParam = (req: AuthRequest) => req.params?.id ?? '';

/** The audited target's id: the `id` of the answer (a create). */
export const answerId = (_req: AuthRequest, answer: unknown) => String((answer as { id?: unknown } | null)?.id ?? '');

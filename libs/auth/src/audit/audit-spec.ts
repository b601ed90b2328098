import type { ModuleRef } from '@nestjs/core';
import type { AuthRequest } from '../auth-request';

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

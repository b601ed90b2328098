import type { PolicyBody } from '@gatehouse/contracts';
import { PolicyCompileError } from './check';
import { compilePolicy } from './policy-set';

/**
 * Semantic validation beyond the zod schema, for the admin API: compiles every check (user
 * regexes with the backtracking guards, JSON schemas). Returns the first problem with the field
 * path (`checks[2].pattern`), or null when the policy compiles.
 */
export function validatePolicy(policy: PolicyBody): { path: string; message: string } | null {
  try {
    compilePolicy({ id: policy.id, version: 1, created_at: 0, policy });
    return null;
  } catch (err) {
    if (err instanceof PolicyCompileError) return { path: err.path, message: err.message };
    return { path: 'checks', message: (err as Error).message };
  }
}

import type { z } from 'zod';
import { GatewayError, invalidRequest } from '@gatehouse/contracts';

type Issue = z.core.$ZodIssue;
type PathKey = PropertyKey;

/** `['messages', 2, 'content']` → `messages[2].content`. */
export function formatPath(path: readonly PathKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/**
 * A union whose branches all failed: prefer the branch that got furthest into the value (a bad
 * field inside an array of parts says more than "expected a string"); when every branch failed
 * at the value itself, the union's own message is the useful one.
 */
function mostSpecific(issue: Issue, prefix: readonly PathKey[]): { path: PathKey[]; issue: Issue } {
  const here = [...prefix, ...issue.path];
  if (issue.code !== 'invalid_union') return { path: here, issue };
  let best: Issue | undefined;
  for (const branch of issue.errors) {
    const first = branch[0];
    if (first && first.path.length > 0 && (!best || first.path.length > best.path.length)) best = first;
  }
  return best ? mostSpecific(best, here) : { path: here, issue };
}

function describe(issue: Issue): string {
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) return 'is required';
  if (issue.code === 'unrecognized_keys') return 'unknown parameter';
  if (issue.code === 'invalid_union' && issue.errors.length === 0 && 'options' in issue) {
    const options = (issue as { options?: unknown[] }).options ?? [];
    return `expected one of ${options.map((o) => JSON.stringify(o)).join(', ')}`;
  }
  const msg = issue.message.startsWith('Invalid input: ') ? issue.message.slice(15) : issue.message;
  return msg;
}

/** The first problem in a failed parse as a 400 whose message and param name the field path. */
export function toInvalidRequest(error: z.ZodError): GatewayError {
  const top = error.issues[0];
  if (!top) return invalidRequest('invalid request body');
  const { path, issue } = mostSpecific(top, []);
  if (issue.code === 'unrecognized_keys') {
    const field = formatPath([...path, issue.keys[0] ?? '']);
    return invalidRequest(`${field}: unknown parameter`, field);
  }
  const field = formatPath(path);
  const text = describe(issue);
  return invalidRequest(field ? `${field}: ${text}` : text, field || undefined);
}

/** Parse with a module-level schema, throwing the 400 described above on failure. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (!result.success) throw toInvalidRequest(result.error);
  return result.data;
}

import { BadRequestException } from '@nestjs/common';
import type { ZodType } from 'zod';

/** Parse a request body or query with zod; a failure is a 400 naming the first offending field. */
export function parseOr400<T>(schema: ZodType<T>, input: unknown, what = 'body'): T {
  const r = schema.safeParse(input ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue.path.map(String).join('.') || what;
  throw new BadRequestException({ error: { message: `${path}: ${issue.message}`, param: path } });
}

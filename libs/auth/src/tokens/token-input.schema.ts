import { z } from 'zod';
import { ROLES } from '@gatehouse/contracts';

export const CreateTokenSchema = z
  .object({
    name: z.string().min(1).max(128),
    role: z.enum(ROLES),
    teams: z.array(z.string().min(1).max(128)).max(100).default([]),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.role === 'admin' && t.teams.length > 0) ctx.addIssue({ code: 'custom', path: ['teams'], message: 'an admin token acts on every team; leave teams empty' });
    if (t.role !== 'admin' && t.teams.length === 0) ctx.addIssue({ code: 'custom', path: ['teams'], message: `a ${t.role} token needs at least one team` });
  });
export type CreateTokenInput = z.infer<typeof CreateTokenSchema>;

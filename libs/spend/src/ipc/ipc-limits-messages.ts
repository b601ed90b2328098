import { z } from 'zod';

/** Counter calls of standalone workers to the primary that owns the counters (tagged gh_limits). */
export const LimitsCall = z.object({
  gh_limits: z.literal('call'),
  id: z.number().int(),
  op: z.enum(['admit', 'settle', 'seed', 'peek']),
  args: z.array(z.unknown()),
});
export type LimitsCall = z.infer<typeof LimitsCall>;

export const LimitsReply = z.object({
  gh_limits: z.literal('reply'),
  id: z.number().int(),
  ok: z.boolean(),
  value: z.unknown().optional(),
  error: z.string().optional(),
});
export type LimitsReply = z.infer<typeof LimitsReply>;

import { z } from 'zod';

/** The parts of Converse / ConverseStream payloads the gateway reads; unknown fields are ignored. */
export const ConverseUsageSchema = z.object({
  inputTokens: z.number().int().nonnegative().optional(),
  outputTokens: z.number().int().nonnegative().optional(),
  totalTokens: z.number().int().nonnegative().optional(),
  cacheReadInputTokens: z.number().int().nonnegative().optional(),
  cacheWriteInputTokens: z.number().int().nonnegative().optional(),
});
export type ConverseUsage = z.infer<typeof ConverseUsageSchema>;

export const ConverseOutputBlockSchema = z.object({
  text: z.string().optional(),
  toolUse: z.object({ toolUseId: z.string(), name: z.string(), input: z.unknown() }).optional(),
  reasoningContent: z.object({
    reasoningText: z.object({ text: z.string().optional(), signature: z.string().optional() }).optional(),
    redactedContent: z.string().optional(),
  }).optional(),
});

export const ConverseResponseSchema = z.object({
  output: z.object({
    message: z.object({ role: z.string().optional(), content: z.array(ConverseOutputBlockSchema) }).optional(),
  }),
  stopReason: z.string(),
  usage: ConverseUsageSchema.optional(),
});

export const ContentBlockStartSchema = z.object({
  contentBlockIndex: z.number().int().nonnegative(),
  start: z.object({ toolUse: z.object({ toolUseId: z.string(), name: z.string() }).optional() }).optional(),
});

export const ContentBlockDeltaSchema = z.object({
  contentBlockIndex: z.number().int().nonnegative(),
  delta: z.object({
    text: z.string().optional(),
    toolUse: z.object({ input: z.string() }).optional(),
    reasoningContent: z.object({
      text: z.string().optional(),
      signature: z.string().optional(),
      redactedContent: z.string().optional(),
    }).optional(),
  }),
});

export const ContentBlockStopSchema = z.object({ contentBlockIndex: z.number().int().nonnegative() });
export const MessageStopSchema = z.object({ stopReason: z.string() });
export const StreamMetadataSchema = z.object({ usage: ConverseUsageSchema.optional() });

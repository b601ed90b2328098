import { z } from 'zod';

/** The parts of a GenerateContentResponse the gateway reads; unknown fields are ignored. */
export const GeminiResponsePartSchema = z.object({
  text: z.string().optional(),
  thought: z.boolean().optional(),
  thoughtSignature: z.string().optional(),
  functionCall: z.object({
    id: z.string().optional(),
    name: z.string(),
    args: z.record(z.string(), z.unknown()).optional(),
  }).optional(),
});
export type GeminiResponsePart = z.infer<typeof GeminiResponsePartSchema>;

export const GeminiUsageSchema = z.object({
  promptTokenCount: z.number().int().nonnegative().optional(),
  cachedContentTokenCount: z.number().int().nonnegative().optional(),
  candidatesTokenCount: z.number().int().nonnegative().optional(),
  thoughtsTokenCount: z.number().int().nonnegative().optional(),
  toolUsePromptTokenCount: z.number().int().nonnegative().optional(),
  totalTokenCount: z.number().int().nonnegative().optional(),
});
export type GeminiUsage = z.infer<typeof GeminiUsageSchema>;

export const GeminiCandidateSchema = z.object({
  content: z.object({ role: z.string().optional(), parts: z.array(GeminiResponsePartSchema).optional() }).optional(),
  finishReason: z.string().optional(),
  index: z.number().int().optional(),
});

export const GeminiErrorBodySchema = z.object({
  code: z.number().int().optional(),
  message: z.string().optional(),
  status: z.string().optional(),
});

export const GeminiGenerateResponseSchema = z.object({
  candidates: z.array(GeminiCandidateSchema).optional(),
  promptFeedback: z.object({ blockReason: z.string().optional() }).optional(),
  usageMetadata: GeminiUsageSchema.optional(),
  modelVersion: z.string().optional(),
  responseId: z.string().optional(),
  error: GeminiErrorBodySchema.optional(),
});
export type GeminiGenerateResponse = z.infer<typeof GeminiGenerateResponseSchema>;

export const GeminiBatchEmbedResponseSchema = z.object({
  embeddings: z.array(z.object({ values: z.array(z.number()) })),
});

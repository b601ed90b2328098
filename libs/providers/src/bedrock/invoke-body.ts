/** Bedrock InvokeModel takes the Anthropic Messages body without `model` and `stream`, with its own version and betas in the body. */
export const BEDROCK_ANTHROPIC_VERSION = 'bedrock-2023-05-31';

/** True when a Bedrock model id names an Anthropic model (`anthropic.claude-...`, or a cross-region profile `us.anthropic.claude-...`). */
export const isBedrockAnthropicModel = (modelId: string): boolean => /^(?:[a-z]{2,6}(?:-[a-z]{2,4})?\.)?anthropic\./.test(modelId);

/**
 * The client's Anthropic Messages body as Bedrock InvokeModel takes it: every field kept as sent
 * except `model` and `stream` (the URL carries both), `anthropic_version` set when absent, and the
 * `anthropic-beta` header's comma-separated values appended to `anthropic_beta`.
 */
export function invokeModelBody(body: Record<string, unknown>, anthropicBeta: string | undefined): Record<string, unknown> {
  const { model: _model, stream: _stream, ...rest } = body;
  const out: Record<string, unknown> = { ...rest };
  if (out.anthropic_version === undefined) out.anthropic_version = BEDROCK_ANTHROPIC_VERSION;
  const betas = anthropicBeta ? anthropicBeta.split(',').map((b) => b.trim()).filter(Boolean) : [];
  if (betas.length > 0) {
    const given = Array.isArray(out.anthropic_beta) ? (out.anthropic_beta as unknown[]) : [];
    out.anthropic_beta = [...given, ...betas.filter((b) => !given.includes(b))];
  }
  return out;
}

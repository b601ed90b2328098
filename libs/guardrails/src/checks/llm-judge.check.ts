import type { CheckFactory, GuardCheck } from '../check';
import { callJudge, type LlmJudgeConfig } from '../judge';

/**
 * Asks a judge model (guardrails.judge: the gateway's own routing) whether the texts, joined by
 * blank lines after the redactions of the same evaluation, break the policy's rubric; a structured
 * JSON verdict decides. Runs inline within `timeout_ms` (a timeout is an error: the policy's
 * on_error decides), or with `async: true` in the guard workers (flag only).
 */
export const createLlmJudgeCheck: CheckFactory<'llm_judge'> = (config: LlmJudgeConfig): GuardCheck => ({
  config,
  windowed: false,
  evaluate(input, ctx) {
    return callJudge(config, input.texts.join('\n\n'), input.stage, ctx.team);
  },
});

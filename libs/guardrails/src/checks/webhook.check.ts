import type { CheckFactory, GuardCheck } from '../check';
import { callWebhook, type WebhookConfig } from '../webhook';

/**
 * POSTs {stage, text, model, team, key_id} to `url` (texts joined by blank lines, after the
 * redactions of the same evaluation). `async: true` webhooks are never called inline: the
 * evaluator returns them as deferred work for the guard workers (they can only flag).
 */
export const createWebhookCheck: CheckFactory<'webhook'> = (config: WebhookConfig): GuardCheck => ({
  config,
  windowed: false,
  evaluate(input, ctx) {
    return callWebhook(config, { stage: input.stage, text: input.texts.join('\n\n'), model: ctx.model, team: ctx.team, key_id: ctx.keyId });
  },
});

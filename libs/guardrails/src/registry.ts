import type { Check, CheckType } from '@gatehouse/contracts';
import type { CheckFactory, GuardCheck } from './check';
import { createInvisibleTextCheck } from './checks/invisible-text.check';
import { createJsonSchemaCheck } from './checks/json-schema.check';
import { createKeywordsCheck } from './checks/keywords.check';
import { createLlmJudgeCheck } from './checks/llm-judge.check';
import { createMaxTokensCheck } from './checks/max-tokens.check';
import { createModelAllowlistCheck } from './checks/model-allowlist.check';
import { createPiiCheck } from './checks/pii.check';
import { createPromptInjectionCheck } from './checks/prompt-injection.check';
import { createRegexCheck } from './checks/regex.check';
import { createSecretsCheck } from './checks/secrets.check';
import { createWebhookCheck } from './checks/webhook.check';

/** Check factories by type: adding a check type means one file in checks/ and one line here. */
export const CHECK_REGISTRY: { readonly [T in CheckType]: CheckFactory<T> } = {
  pii: createPiiCheck,
  secrets: createSecretsCheck,
  prompt_injection: createPromptInjectionCheck,
  regex: createRegexCheck,
  keywords: createKeywordsCheck,
  json_schema: createJsonSchemaCheck,
  max_tokens: createMaxTokensCheck,
  invisible_text: createInvisibleTextCheck,
  model_allowlist: createModelAllowlistCheck,
  webhook: createWebhookCheck,
  llm_judge: createLlmJudgeCheck,
};

/** Compiles one check config (throws PolicyCompileError with the field path relative to the check). */
export function createCheck(config: Check): GuardCheck {
  const factory = CHECK_REGISTRY[config.type] as CheckFactory;
  return factory(config as never);
}

import { type Check, compileGlobs } from '@gatehouse/contracts';
import type { CheckFactory, CheckVerdict, GuardCheck } from '../check';

type ModelAllowlistConfig = Extract<Check, { type: 'model_allowlist' }>;

/** Fails when the requested model matches none of `models` (globs with `*` and `?`). */
export const createModelAllowlistCheck: CheckFactory<'model_allowlist'> = (config: ModelAllowlistConfig): GuardCheck => {
  const allowed = compileGlobs(config.models);
  return {
    config,
    windowed: false,
    evaluate(_input, ctx): CheckVerdict {
      const pass = allowed(ctx.model);
      return { pass, score: null, spans: [], details: pass ? [] : ['model_not_allowed'] };
    },
  };
};

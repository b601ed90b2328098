/** Public surface of libs/guardrails: policy compilation and evaluation, stream guard, deferred checks, validation. */
export * from './deferred';
export * from './evaluation';
export * from './placeholders';
export * from './policy-set';
export * from './stream-guard';
export * from './validate-policy';
export { configureJudge, setJudgeEndpoint, type JudgeEndpoint } from './judge';

export { PolicyDirectory } from './policy-directory';
export { PoliciesModule } from './policies.module';

export { PolicyDirectory, type PolicyListener } from './policy-directory';
export { PoliciesModule } from './policies.module';

import type { PolicyEvent, AsyncCheckJob } from '@gatehouse/contracts';

/**
 * The configured headers of the job's webhook, taken from the policy the guard holds (they are not
 * carried in the queue). A newer version whose check at that index is still a webhook to the same
 * URL lends its headers; otherwise the webhook is called without them.
 */
export function headersFor(policy: PolicyEvent | undefined, job: AsyncCheckJob): Record<string, string> {
  const check = policy?.policy.checks[job.check_index];
  if (!check || check.type !== 'webhook' || check.url !== job.url) return {};
  return { ...check.headers };
}

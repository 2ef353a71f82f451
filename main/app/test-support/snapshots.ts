/** Snapshots for tests: a running proxy with no accounts unless given. */
export { makeAccount, makeSnapshot, RETIRED_WARNING } from '../../../shared/test-support/snapshot-fixtures';

export const rateLimit = (model: string, until: number) => ({
  model,
  reason: 'rate-limit' as const,
  limitType: 'UserByModelByDay' as const,
  source: 'retry-after' as const,
  until,
  retryAfterSeconds: null,
});

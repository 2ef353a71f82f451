import { describe, expect, it } from 'vitest';
import { isGithubRetirement } from './retirement';

describe('isGithubRetirement', () => {
  const brownout = '{"error":{"code":"github_models_retirement_brownout","message":"GitHub Models is temporarily unavailable as part of a scheduled retirement brownout."}}';

  it('a 410 that speaks of the retirement', () => {
    expect(isGithubRetirement(410, brownout)).toBe(true);
    expect(isGithubRetirement(410, '{"error":{"message":"GitHub Models has been retired."}}')).toBe(true);
  });

  it('not another status, nor a 410 about something else', () => {
    expect(isGithubRetirement(404, brownout)).toBe(false);
    expect(isGithubRetirement(503, brownout)).toBe(false);
    expect(isGithubRetirement(410, '{"error":{"message":"This deployment is gone"}}')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { accountLabel, describeReset, formatDuration, retryAfterSeconds } from './log-words';

describe('messages', () => {
  it('formats durations with the shared formatter (rounded up: never less time than is left)', () => {
    expect(formatDuration(5_631_000)).toBe('1 h 34 min');
    expect(formatDuration(303_000)).toBe('5 min 3 s');
  });

  it('rounds Retry-After up to whole seconds, at least 1', () => {
    expect(retryAfterSeconds(10_001, 0)).toBe(11);
    expect(retryAfterSeconds(10_000, 0)).toBe(10);
    expect(retryAfterSeconds(5, 10)).toBe(1);
  });

  it('describes a reset with an ISO time and a countdown', () => {
    const now = Date.UTC(2025, 0, 1, 12, 0, 0);
    expect(describeReset(now + 5_631_000, now)).toBe('2025-01-01T13:33:51.000Z (in 1 h 34 min)');
    expect(accountLabel('GITHUB_TOKEN', 'alice')).toBe('GITHUB_TOKEN (alice)');
    expect(accountLabel('GITHUB_TOKEN2', null)).toBe('GITHUB_TOKEN2');
  });
});

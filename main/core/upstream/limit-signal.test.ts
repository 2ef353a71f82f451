import { describe, expect, it } from 'vitest';
import { githubLimitSignal, limitTypeOfSignal, rateLimitInfoOf } from './limit-signal';
import { parseRateLimit } from './rate-limit';

const NOW = 1_700_000_000_000;
const body = (limit: number, seconds: number, type: string, wait: number) =>
  JSON.stringify({ error: { code: 'RateLimitReached', message: `Rate limit of ${limit} per ${seconds}s exceeded for ${type}. Please wait ${wait} seconds before retrying.` } });

describe('githubLimitSignal', () => {
  it('reads a daily 429 into scope, window, reset time, source and the stated limit', () => {
    const headers = { 'x-ratelimit-type': 'UserByModelByDay', 'x-ratelimit-timeremaining': '5631', 'retry-after': '5631' };
    expect(githubLimitSignal(headers, body(50, 86400, 'UserByModelByDay', 5631), 60, NOW)).toEqual({
      scope: 'model',
      window: { period: 'day', unit: 'requests' },
      resetAt: NOW + 5_631_000,
      source: 'reset-header',
      clamped: false,
      limit: 50,
      message: body(50, 86400, 'UserByModelByDay', 5631),
      githubLimitType: 'UserByModelByDay',
    });
  });

  it('owner-wide, concurrency and unreadable 429s', () => {
    expect(githubLimitSignal({ 'x-ratelimit-type': 'UserByMinute', 'retry-after': '30' }, '', 60, NOW)).toMatchObject({ scope: 'owner', source: 'retry-after', resetAt: NOW + 30_000 });
    expect(githubLimitSignal({ 'x-ratelimit-type': 'UserConcurrentRequests' }, 'busy', 60, NOW)).toMatchObject({ scope: 'concurrency', window: { period: null, unit: null }, source: 'default' });
    const bare = githubLimitSignal({}, '', 60, NOW);
    expect(bare).toMatchObject({ scope: 'model', githubLimitType: 'Unknown', source: 'default', resetAt: NOW + 60_000 });
    expect(bare.limit).toBeUndefined();
  });

  it('masks tokens in the message it keeps', () => {
    const signal = githubLimitSignal({}, 'token gho_SecretTokenValue0123456789abcd was limited', 60, NOW);
    expect(signal.message).not.toContain('gho_SecretTokenValue0123456789abcd');
  });

  it('reads back into what parseRateLimit said, for every reset source', () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ 'x-ratelimit-type': 'UserByModelByMinute', 'x-ratelimit-timeremaining': '42' }, ''],
      [{ 'retry-after': '90' }, 'Too Many Requests'],
      [{}, body(10, 60, 'UserByModelByMinute', 17)],
      [{}, ''],
    ];
    for (const [headers, text] of cases) expect(rateLimitInfoOf(githubLimitSignal(headers, text, 60, NOW), NOW)).toEqual(parseRateLimit(headers, text, 60, NOW));
  });
});

describe('absurd resets are bounded by the limit window (issue 15 item 7)', () => {
  const now = Date.UTC(2026, 0, 1);
  it('a per-minute limit blocks at most a minute, whatever retry-after or timeremaining say', () => {
    const variants: Record<string, string>[] = [{ 'retry-after': '999999999' }, { 'retry-after': 'Thu, 01 Jan 2099 00:00:00 GMT' }, { 'x-ratelimit-timeremaining': '1e30' }];
    for (const headers of variants) {
      const signal = githubLimitSignal({ ...headers, 'x-ratelimit-type': 'UserByMinute' }, '', 60, now);
      expect(signal.resetAt! - now).toBeLessThanOrEqual(60_000);
    }
    const huge = githubLimitSignal({ 'retry-after': '999999999', 'x-ratelimit-type': 'UserByMinute' }, '', 60, now);
    expect(huge).toMatchObject({ scope: 'owner', clamped: true, resetAt: now + 60_000 });
  });

  it('a daily limit blocks at most a day; a normal reset is kept as stated', () => {
    expect(githubLimitSignal({ 'retry-after': '999999999', 'x-ratelimit-type': 'UserByModelByDay' }, '', 60, now).resetAt).toBe(now + 25 * 3_600_000);
    expect(githubLimitSignal({ 'retry-after': '42', 'x-ratelimit-type': 'UserByModelByMinute' }, '', 60, now)).toMatchObject({ resetAt: now + 42_000, clamped: false });
  });
});

describe('limitTypeOfSignal (other providers)', () => {
  const signal = (scope: 'owner' | 'model', period: 'minute' | 'hour' | 'day' | 'month', unit: 'requests' | 'tokens' = 'requests') =>
    ({ scope, window: { period, unit }, resetAt: NOW + 60_000, source: 'retry-after', clamped: false, message: '' }) as const;

  it('names an owner-wide limit by its window: a daily pool is not called per-minute', () => {
    expect(limitTypeOfSignal(signal('owner', 'minute'))).toBe('UserByMinute');
    expect(limitTypeOfSignal(signal('owner', 'day'))).toBe('UserByDay');
    expect(limitTypeOfSignal(signal('owner', 'month'))).toBe('UserByDay');
  });

  it('names a model limit by its window and unit', () => {
    expect(limitTypeOfSignal(signal('model', 'day'))).toBe('UserByModelByDay');
    expect(limitTypeOfSignal(signal('model', 'minute'))).toBe('UserByModelByMinute');
    expect(limitTypeOfSignal(signal('model', 'minute', 'tokens'))).toBe('UserByModelByMinuteTokens');
    expect(limitTypeOfSignal(signal('model', 'hour'))).toBe('Unknown');
  });
});

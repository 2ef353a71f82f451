import { describe, expect, it } from 'vitest';
import { MAX_RESET_SECONDS, parseRateLimit } from './rate-limit';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const DAY_BODY =
  '{"error":{"code":"RateLimitReached","message":"Rate limit of 50 per 86400s exceeded for UserByModelByDay. Please wait 5631 seconds before retrying.","details":"Rate limit of 50 per 86400s exceeded for UserByModelByDay. Please wait 5631 seconds before retrying."}}';
const MINUTE_BODY = 'Rate limit of 15 per 60s exceeded for UserByModelByMinute. Please wait 42 seconds before retrying.';

describe('parseRateLimit', () => {
  it('prefers x-ratelimit-type and x-ratelimit-timeremaining when all headers are present', () => {
    const headers = {
      'retry-after': '5000',
      'x-ratelimit-type': 'UserByModelByDay',
      'x-ratelimit-timeremaining': '5631',
      'x-ms-error-code': 'RateLimitReached',
    };
    expect(parseRateLimit(headers, DAY_BODY, 60, NOW)).toEqual({ limitType: 'UserByModelByDay', resetSeconds: 5631, source: 'x-ratelimit-timeremaining' });
  });

  it('uses retry-after when it is the only header (type from the body)', () => {
    expect(parseRateLimit({ 'retry-after': '42' }, MINUTE_BODY, 60, NOW)).toEqual({ limitType: 'UserByModelByMinute', resetSeconds: 42, source: 'retry-after' });
  });

  it('uses x-ratelimit-timeremaining alone', () => {
    expect(parseRateLimit({ 'x-ratelimit-timeremaining': '17' }, '', 60, NOW)).toEqual({ limitType: 'Unknown', resetSeconds: 17, source: 'x-ratelimit-timeremaining' });
  });

  it('reads type and wait from the body alone (JSON sent as text/plain)', () => {
    expect(parseRateLimit({ 'content-type': 'text/plain; charset=utf-8' }, DAY_BODY, 60, NOW)).toEqual({
      limitType: 'UserByModelByDay',
      resetSeconds: 5631,
      source: 'message',
    });
  });

  it('reads an HTTP-date retry-after', () => {
    const at = new Date(NOW + 90_000).toUTCString();
    expect(parseRateLimit({ 'retry-after': at, 'x-ratelimit-type': 'UserByMinute' }, '', 60, NOW)).toEqual({
      limitType: 'UserByMinute',
      resetSeconds: 90,
      source: 'retry-after',
    });
  });

  it('falls back to the default when nothing is readable', () => {
    expect(parseRateLimit({}, 'Too Many Requests', 75, NOW)).toEqual({ limitType: 'Unknown', resetSeconds: 75, source: 'default' });
    expect(parseRateLimit({}, '', Number.NaN, NOW)).toEqual({ limitType: 'Unknown', resetSeconds: 60, source: 'default' });
  });

  it('keeps a zero wait (UserConcurrentRequests)', () => {
    const body = 'Rate limit of 5 per 0s exceeded for UserConcurrentRequests. Please wait 0 seconds before retrying.';
    expect(parseRateLimit({ 'x-ratelimit-type': 'UserConcurrentRequests', 'retry-after': '0' }, body, 60, NOW)).toEqual({
      limitType: 'UserConcurrentRequests',
      resetSeconds: 0,
      source: 'retry-after',
    });
  });

  it('skips garbage values to the next source', () => {
    const headers = { 'x-ratelimit-timeremaining': '-5', 'retry-after': 'soon', 'x-ratelimit-type': 'SomethingNew' };
    expect(parseRateLimit(headers, MINUTE_BODY, 60, NOW)).toEqual({ limitType: 'UserByModelByMinute', resetSeconds: 42, source: 'message' });
    expect(parseRateLimit({ 'x-ratelimit-timeremaining': 'NaN', 'retry-after': '12' }, '', 60, NOW).source).toBe('retry-after');
    expect(parseRateLimit({ 'x-ratelimit-timeremaining': '', 'retry-after': 'Infinity' }, '', 30, NOW)).toEqual({
      limitType: 'Unknown',
      resetSeconds: 30,
      source: 'default',
    });
    expect(parseRateLimit({ 'retry-after': 'Sat, 31 May 2025 12:00:00 GMT' }, '', 30, NOW).source).toBe('default');
    expect(parseRateLimit({ 'retry-after': 'Tuesday, garbage' }, '', 30, NOW).source).toBe('default');
  });

  it('clamps huge values to two days and rounds fractions up', () => {
    expect(parseRateLimit({ 'x-ratelimit-timeremaining': '99999999999' }, '', 60, NOW).resetSeconds).toBe(MAX_RESET_SECONDS);
    expect(parseRateLimit({ 'retry-after': new Date(NOW + 30 * 86_400_000).toUTCString() }, '', 60, NOW).resetSeconds).toBe(MAX_RESET_SECONDS);
    expect(parseRateLimit({}, '', 1e12, NOW).resetSeconds).toBe(MAX_RESET_SECONDS);
    expect(parseRateLimit({ 'retry-after': '1.2' }, '', 60, NOW).resetSeconds).toBe(2);
  });

  it('matches limit types case-insensitively onto the canonical names', () => {
    expect(parseRateLimit({ 'x-ratelimit-type': 'userbymodelbyminutetokens' }, '', 60, NOW).limitType).toBe('UserByModelByMinuteTokens');
  });
});

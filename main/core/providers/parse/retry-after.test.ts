import { describe, expect, it } from 'vitest';
import { headerDelay, retryAfterHeader, retryAfterMsHeader } from './retry-after';

const now = Date.UTC(2026, 8, 1, 12, 0, 0);

describe('retry-after', () => {
  it('reads integer and float seconds', () => {
    expect(retryAfterHeader('2', now)).toBe(2000);
    expect(retryAfterHeader('14.237', now)).toBeCloseTo(14_237);
  });

  it('reads an HTTP date, a past one as now', () => {
    expect(retryAfterHeader('Tue, 01 Sep 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterHeader('Tue, 01 Sep 2026 11:00:00 GMT', now)).toBe(0);
  });

  it.each(['', 'soon', '-5', 'NaN', '1e400'])('refuses %j', (value) => {
    expect(retryAfterHeader(value, now)).toBeNull();
  });

  it('retry-after-ms (and Azure SDK x-ms-retry-after-ms) win over retry-after', () => {
    expect(headerDelay({ 'retry-after-ms': '1500.5', 'retry-after': '2' }, now)).toEqual({ ms: 1500.5, source: 'retry-after-ms' });
    expect(retryAfterMsHeader({ 'x-ms-retry-after-ms': '250' })).toBe(250);
    expect(headerDelay({ 'retry-after-ms': 'garbage', 'retry-after': '2' }, now)).toEqual({ ms: 2000, source: 'retry-after' });
    expect(headerDelay({}, now)).toBeNull();
  });
});

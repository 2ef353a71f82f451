import { describe, expect, it } from 'vitest';
import { AccountBreaker } from './account';

describe('AccountBreaker', () => {
  it('opens after N consecutive failures and half-opens after its cooldown', () => {
    const b = new AccountBreaker(3, 30_000);
    expect(b.failure(0)).toBeNull();
    expect(b.failure(0)).toBeNull();
    expect(b.failure(10)).toBe('opened');
    expect(b.view(10)).toBe('open');
    expect(b.available(29_999)).toBe(false);
    expect(b.view(30_010)).toBe('half-open');
    expect(b.available(30_010)).toBe(true);
  });

  it('lets one probe through in half-open; success closes, failure reopens', () => {
    const b = new AccountBreaker(1, 1_000);
    b.failure(0);
    b.begin(1_000);
    expect(b.available(1_000)).toBe(false);
    expect(b.failure(1_000)).toBe('opened');
    expect(b.openUntil(1_500)).toBe(2_000);
    b.begin(2_000);
    expect(b.success()).toBe('recovered');
    expect(b.view(2_000)).toBe('closed');
  });

  it('a success resets the consecutive count', () => {
    const b = new AccountBreaker(2, 1_000);
    b.failure(0);
    b.success();
    expect(b.failure(0)).toBeNull();
    expect(b.failure(0)).toBe('opened');
    expect(b.failures).toBe(2);
    expect(b.reset()).toBe(true);
    expect(b.failures).toBe(0);
    expect(b.view(0)).toBe('closed');
  });
});

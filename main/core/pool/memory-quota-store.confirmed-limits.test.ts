import { describe, expect, it } from 'vitest';
import { CONFIRMED_FOR_MS, Ledger, LimitBook } from './memory-quota-store';
import { statedLimit } from './attempt';
import { MINUTE_MS } from './quota-store';

describe('statedLimit', () => {
  it('reads N and the type from the message GitHub sends', () => {
    const message = 'Rate limit of 50 per 86400s exceeded for UserByModelByDay. Please wait 5631 seconds before retrying.';
    expect(statedLimit(message)).toEqual({ limit: 50, limitType: 'UserByModelByDay' });
    expect(statedLimit(JSON.stringify({ error: { message: 'Rate limit of 10 per 60s exceeded for UserByModelByMinute.' } }))).toEqual({
      limit: 10,
      limitType: 'UserByModelByMinute',
    });
  });

  it('is null when the message states no limit', () => {
    expect(statedLimit('Too Many Requests')).toBeNull();
    expect(statedLimit('')).toBeNull();
  });
});

describe('LimitBook.spent', () => {
  const fill = (ledger: Ledger, n: number, at: number) => {
    for (let i = 0; i < n; i++) ledger.begin('login:a', 'm', at);
  };

  it('a confirmed limit our counts reached blocks until the window ends', () => {
    const ledger = new Ledger();
    ledger.limits.set('login:a', 'm', 'UserByModelByMinute', { limit: 3, confirmed: true, at: 0 });
    fill(ledger, 2, 1_000);
    expect(ledger.spentWindow('login:a', 'm', 1_000)).toBeNull();
    fill(ledger, 1, 2_000);
    expect(ledger.spentWindow('login:a', 'm', 2_000)).toEqual({ limitType: 'UserByModelByMinute', limit: 3, until: 1_000 + MINUTE_MS });
    expect(ledger.nextExpiry(2_000)).toBe(1_000 + MINUTE_MS);
    expect(ledger.spentWindow('login:a', 'm', 1_000 + MINUTE_MS)).toBeNull();
  });

  it('an unconfirmed limit never blocks (the forecast uses it; upstream is probed)', () => {
    const ledger = new Ledger();
    ledger.limits.set('login:a', 'm', 'UserByModelByMinute', { limit: 3, confirmed: false, at: 0 });
    fill(ledger, 5, 1_000);
    expect(ledger.spentWindow('login:a', 'm', 1_000)).toBeNull();
    expect(ledger.nextExpiry(1_000)).toBeNull();
  });

  it('a confirmation lapses a day after the 429 that stated it', () => {
    const ledger = new Ledger();
    ledger.limits.set('login:a', 'm', 'UserByModelByMinute', { limit: 1, confirmed: true, at: 0 });
    fill(ledger, 1, CONFIRMED_FOR_MS - 1);
    expect(ledger.spentWindow('login:a', 'm', CONFIRMED_FOR_MS - 1)).not.toBeNull();
    expect(ledger.spentWindow('login:a', 'm', CONFIRMED_FOR_MS)).toBeNull();
  });

  it('when both windows are spent, the later end is the one that counts', () => {
    const ledger = new Ledger();
    ledger.limits.set('login:a', 'm', 'UserByModelByMinute', { limit: 2, confirmed: true, at: 0 });
    ledger.limits.set('login:a', 'm', 'UserByModelByDay', { limit: 2, confirmed: true, at: 0 });
    fill(ledger, 2, 0);
    expect(ledger.spentWindow('login:a', 'm', 10)).toMatchObject({ limitType: 'UserByModelByDay', limit: 2 });
  });

  it('notes follow a provisional subject into its login, keep their own otherwise, and unconfirm by subject and model', () => {
    const book = new LimitBook();
    book.set('key:K', 'm', 'UserByModelByDay', { limit: 8, confirmed: true, at: 5 });
    book.set('key:K', 'n', 'UserByModelByDay', { limit: 9, confirmed: true, at: 5 });
    book.set('login:a', 'n', 'UserByModelByDay', { limit: 12, confirmed: false, at: 7 });
    book.rename('key:K', 'login:a');
    expect(book.get('login:a', 'm', 'UserByModelByDay')).toEqual({ limit: 8, confirmed: true, at: 5 });
    expect(book.get('login:a', 'n', 'UserByModelByDay')).toMatchObject({ limit: 12, confirmed: false });
    expect(book.get('key:K', 'm', 'UserByModelByDay')).toBeUndefined();
    expect(book.list().map((n) => n.subject)).toEqual(['login:a', 'login:a']);
    expect(book.unconfirm('login:a', 'n')).toBe(0);
    expect(book.unconfirm('login:a', 'm')).toBe(1);
    expect(book.get('login:a', 'm', 'UserByModelByDay')?.confirmed).toBe(false);
  });

  it('a ledger merge carries the notes, and clear() forgets them', () => {
    const ledger = new Ledger();
    ledger.begin('key:K', 'm', 0);
    ledger.limits.set('key:K', 'm', 'UserByModelByMinute', { limit: 1, confirmed: true, at: 0 });
    ledger.merge('key:K', 'login:a', 10);
    expect(ledger.spentWindow('login:a', 'm', 10)).toEqual({ limitType: 'UserByModelByMinute', limit: 1, until: MINUTE_MS });
    expect(ledger.spentWindow('key:K', 'm', 10)).toEqual({ limitType: 'UserByModelByMinute', limit: 1, until: MINUTE_MS });
    ledger.clear();
    expect(ledger.limits.list()).toEqual([]);
  });
});

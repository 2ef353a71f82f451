import { describe, expect, it } from 'vitest';
import { Ledger } from './memory-quota-store';
import { type CooldownRecord, countIn, DAY_MS, laterOf, MINUTE_MS } from './quota-store';

const cooldown = (until: number, account = 'K'): CooldownRecord => ({ until, limitType: 'UserByModelByDay', source: 'retry-after', scope: 'model', account });

describe('Ledger', () => {
  it('counts a request in the minute and day windows and holds an in-flight slot', () => {
    const l = new Ledger();
    l.begin('login:a', 'm', 1_000);
    l.begin('login:a', 'm', 2_000);
    const e = l.peek('login:a', 'm')!;
    expect([countIn(e.minute, 2_000, MINUTE_MS), countIn(e.day, 2_000, DAY_MS), e.inFlight]).toEqual([2, 2, 2]);
    l.begin('login:a', 'other', 2_000);
    const s = l.find('login:a')!;
    expect([countIn(s.minute, 2_000, MINUTE_MS), countIn(s.day, 2_000, DAY_MS), s.inFlight]).toEqual([3, 3, 3]);
    l.end('login:a', 'other');
    l.end('login:a', 'm');
    l.uncount('login:a', 'm', 3_000);
    expect([countIn(e.minute, 3_000, MINUTE_MS), countIn(e.day, 3_000, DAY_MS), e.inFlight]).toEqual([1, 1, 1]);
    expect(l.find('login:a')!.inFlight).toBe(1);
    expect(countIn(l.find('login:a')!.day, 3_000, DAY_MS)).toBe(2);
  });

  it('merges a provisional subject into the login, keeping later cooldowns and summing counts', () => {
    const l = new Ledger();
    l.begin('key:K', 'm', 0);
    l.entry('key:K', 'm').cooldown = cooldown(50_000);
    l.begin('login:a', 'm', 10);
    l.entry('login:a', 'm').cooldown = cooldown(20_000);
    l.merge('key:K', 'login:a', 100);
    expect(l.find('key:K')?.id).toBe('login:a');
    const e = l.peek('login:a', 'm')!;
    expect(countIn(e.day, 100, DAY_MS)).toBe(2);
    expect(e.day.start).toBe(0);
    expect(e.inFlight).toBe(2);
    expect(e.cooldown?.until).toBe(50_000);
    // Work begun under the old id ends on the merged subject.
    l.end('key:K', 'm');
    expect(e.inFlight).toBe(1);
  });

  it('sweeps expired records and reports them; nextExpiry is the earliest left', () => {
    const l = new Ledger();
    l.entry('login:a', 'm').cooldown = cooldown(1_000, 'A');
    l.subject('login:a').userCooldown = { ...cooldown(5_000, 'A'), scope: 'user', limitType: 'UserByMinute' };
    l.subject('login:b').cap = { value: 1, until: 3_000 };
    expect(l.nextExpiry()).toBe(1_000);
    expect(l.sweep(999)).toEqual([]);
    expect(l.sweep(3_000)).toEqual([
      { owner: 'login:a', model: 'm', account: 'A', kind: 'cooldown' },
      { owner: 'login:b', model: null, account: '', kind: 'cap' },
    ]);
    expect(l.nextExpiry()).toBe(5_000);
  });

  it('forgets idle entries and subjects once their windows have closed', () => {
    const l = new Ledger();
    l.begin('login:a', 'm', 0);
    l.end('login:a', 'm');
    l.sweep(DAY_MS - 1);
    expect(l.peek('login:a', 'm')).toBeDefined();
    l.begin('login:b', 'm', 0); // still in flight: kept
    l.sweep(DAY_MS);
    expect(l.find('login:a')).toBeUndefined();
    expect(l.peek('login:b', 'm')?.inFlight).toBe(1);
  });

  it('laterOf keeps the later cooldown', () => {
    expect(laterOf(cooldown(5), cooldown(3))?.until).toBe(5);
    expect(laterOf(cooldown(3), cooldown(5))?.until).toBe(5);
    expect(laterOf(null, cooldown(3))?.until).toBe(3);
  });
});

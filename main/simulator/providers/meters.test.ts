import { describe, expect, it } from 'vitest';
import { nextUtcMidnight } from './calendar';
import { Meters } from './meters';
import { virtualClock } from './test-client';
import type { MeterSpec } from './types';

const window: MeterSpec = { name: 'rpm', unit: 'requests', limit: 2, clock: { kind: 'window', seconds: 60 }, scope: 'model' };
const bucket: MeterSpec = { name: 'rpd', unit: 'requests', limit: 1000, clock: { kind: 'bucket', seconds: 86_400 }, scope: 'model' };
const daily: MeterSpec = { name: 'neurons', unit: 'neurons', limit: 10, clock: { kind: 'calendar', next: nextUtcMidnight }, scope: 'owner' };

describe('provider meters', () => {
  it('a window opens at the first request and closes its length later', () => {
    const c = virtualClock();
    const m = new Meters(c.now);
    expect(m.charge('p', 'org', 'a', [{ spec: window, amount: 1 }])).toBeNull();
    c.advance(10_000);
    expect(m.charge('p', 'org', 'a', [{ spec: window, amount: 1 }])).toBeNull();
    const refused = m.charge('p', 'org', 'a', [{ spec: window, amount: 1 }]);
    expect(refused).toMatchObject({ used: 2, requested: 1, waitMs: 50_000 });
    c.advance(50_000);
    expect(m.charge('p', 'org', 'a', [{ spec: window, amount: 1 }])).toBeNull();
  });

  it('counts per owner and model; owner-scoped meters for every model; owners are case-insensitive', () => {
    const c = virtualClock();
    const m = new Meters(c.now);
    m.fill('p', 'ORG', 'a', window);
    expect(m.charge('p', 'org', 'a', [{ spec: window, amount: 1 }])).not.toBeNull();
    expect(m.charge('p', 'org', 'b', [{ spec: window, amount: 1 }])).toBeNull();
    expect(m.charge('p', 'other', 'a', [{ spec: window, amount: 1 }])).toBeNull();
    m.fill('p', 'org', 'a', daily);
    expect(m.charge('p', 'org', 'z', [{ spec: daily, amount: 1 }])?.spec.name).toBe('neurons');
  });

  it('a bucket refills continuously: one request per limit/seconds', () => {
    const c = virtualClock();
    const m = new Meters(c.now);
    m.fill('p', 'org', 'a', bucket);
    const refused = m.charge('p', 'org', 'a', [{ spec: bucket, amount: 1 }]);
    expect(refused?.waitMs).toBeCloseTo(86_400, 0);
    expect(refused?.resetAt).toBe(c.t + 86_400_000);
    c.advance(86_400);
    expect(m.charge('p', 'org', 'a', [{ spec: bucket, amount: 1 }])).toBeNull();
    expect(m.charge('p', 'org', 'a', [{ spec: bucket, amount: 1 }])).not.toBeNull();
    expect(m.view('p', 'org', 'a', bucket)).toMatchObject({ remaining: 0 });
  });

  it('a calendar counter empties at its boundary, not a fixed time after the first request', () => {
    const c = virtualClock(Date.UTC(2026, 8, 1, 23, 59, 0));
    const m = new Meters(c.now);
    m.fill('p', 'org', 'a', daily);
    expect(m.charge('p', 'org', 'a', [{ spec: daily, amount: 1 }])?.resetAt).toBe(Date.UTC(2026, 8, 2));
    c.advance(60_000);
    expect(m.charge('p', 'org', 'a', [{ spec: daily, amount: 1 }])).toBeNull();
  });

  it('counts all charges or none, and names the limit that waits longest', () => {
    const c = virtualClock();
    const m = new Meters(c.now);
    m.fill('p', 'org', 'a', window);
    const refused = m.charge('p', 'org', 'a', [
      { spec: bucket, amount: 1 },
      { spec: window, amount: 1 },
    ]);
    expect(refused?.spec.name).toBe('rpm');
    expect(m.view('p', 'org', 'a', bucket).used).toBe(0);
  });

  it('refunds a reservation and survives a snapshot/restore', () => {
    const c = virtualClock();
    const m = new Meters(c.now);
    const tokens: MeterSpec = { name: 'tpm', unit: 'tokens', limit: 100, clock: { kind: 'window', seconds: 60 }, scope: 'model' };
    m.charge('p', 'org', 'a', [{ spec: tokens, amount: 90 }]);
    m.refund('p', 'org', 'a', tokens, 80);
    expect(m.view('p', 'org', 'a', tokens).used).toBe(10);
    const copy = new Meters(c.now);
    copy.restore(JSON.parse(JSON.stringify(m.snapshot())));
    expect(copy.view('p', 'org', 'a', tokens)).toMatchObject({ used: 10, resetMs: 60_000 });
    c.advance(60_000);
    expect(copy.view('p', 'org', 'a', tokens).used).toBe(0);
  });
});

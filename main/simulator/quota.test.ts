import { describe, expect, it } from 'vitest';
import { QuotaModel, type QuotaDecision } from './quota';

const mini = { id: 'openai/gpt-4o-mini', rate_limit_tier: 'low' };
const gpt41 = { id: 'openai/gpt-4.1', rate_limit_tier: 'high' };
const o3 = { id: 'openai/o3', rate_limit_tier: 'custom' };

function clock(start = 1_700_000_000_000) {
  const c = { t: start, now: () => c.t, advance: (seconds: number) => (c.t += seconds * 1000) };
  return c;
}

function grant(d: QuotaDecision) {
  if (!d.ok) throw new Error(`expected a grant, got ${JSON.stringify(d)}`);
  return d;
}

describe('QuotaModel', () => {
  it('uses the documented table by default', () => {
    const q = new QuotaModel({ now: () => 0 });
    expect(q.limitsOf(gpt41, 'free')).toMatchObject({ perMinute: 10, perDay: 50, concurrent: 2, maxInputTokens: 8000, tokensPerMinute: null });
    expect(q.limitsOf(o3, 'free')).toBeNull();
    expect(q.limitsOf(o3, 'pro')).toMatchObject({ perMinute: 1, perDay: 8, concurrent: 1, maxInputTokens: 4000 });
  });

  it('opens a minute window at the first request and waits until it closes', () => {
    const c = clock();
    const q = new QuotaModel({ now: c.now, limits: { perMinute: 2, perDay: 100, concurrent: 10 } });
    grant(q.acquire('alice', 'free', mini)).release();
    c.advance(20);
    grant(q.acquire('alice', 'free', mini)).release();
    c.advance(10.5);
    expect(q.acquire('alice', 'free', mini)).toEqual({
      ok: false,
      status: 429,
      limitType: 'UserByModelByMinute',
      limit: 2,
      windowSeconds: 60,
      waitSeconds: 30, // ceil(29.5)
    });
    expect(q.usage('alice', mini.id).minute).toEqual({ count: 2, resetsAt: 1_700_000_060_000 });
    c.advance(29.5); // exactly at the close: a fresh window
    grant(q.acquire('alice', 'free', mini));
    expect(q.usage('alice', mini.id).minute).toEqual({ count: 1, resetsAt: c.t + 60_000 });
  });

  it('reports the day limit before the minute limit', () => {
    const c = clock();
    const q = new QuotaModel({ now: c.now, limits: { perMinute: 1, perDay: 1, concurrent: 10 } });
    grant(q.acquire('alice', 'free', mini)).release();
    c.advance(100);
    expect(q.acquire('alice', 'free', mini)).toMatchObject({ limitType: 'UserByModelByDay', limit: 1, windowSeconds: 86400, waitSeconds: 86300 });
    c.advance(86300);
    expect(q.acquire('alice', 'free', mini).ok).toBe(true);
  });

  it('keeps models and users independent; logins are case-insensitive', () => {
    const q = new QuotaModel({ now: () => 0, limits: { perMinute: 1, perDay: 10, concurrent: 10 } });
    grant(q.acquire('alice', 'free', mini)).release();
    expect(q.acquire('Alice', 'free', mini)).toMatchObject({ status: 429, limitType: 'UserByModelByMinute' });
    expect(q.acquire('alice', 'free', gpt41).ok).toBe(true);
    expect(q.acquire('bob', 'free', mini).ok).toBe(true);
  });

  it('caps in-flight requests per user with a 0 s wait, freed by release', () => {
    const q = new QuotaModel({ now: () => 0, limits: { perMinute: 100, perDay: 100, concurrent: 2 } });
    const a = grant(q.acquire('alice', 'free', mini));
    grant(q.acquire('alice', 'free', gpt41));
    expect(q.acquire('alice', 'free', mini)).toEqual({
      ok: false,
      status: 429,
      limitType: 'UserConcurrentRequests',
      limit: 2,
      windowSeconds: 0,
      waitSeconds: 0,
    });
    expect(q.usage('alice', mini.id).inFlight).toBe(2);
    a.release();
    a.release(); // idempotent
    expect(q.usage('alice', mini.id).inFlight).toBe(1);
    expect(q.acquire('alice', 'free', mini).ok).toBe(true);
  });

  it('does not count refused requests', () => {
    const q = new QuotaModel({ now: () => 0, limits: { perMinute: 1, perDay: 10, concurrent: 10 } });
    grant(q.acquire('alice', 'free', mini));
    q.acquire('alice', 'free', mini);
    q.acquire('alice', 'free', mini);
    expect(q.usage('alice', mini.id)).toMatchObject({ minute: { count: 1 }, day: { count: 1 } });
  });

  it('answers 403 for a model the plan cannot use', () => {
    const q = new QuotaModel({ now: () => 0 });
    expect(q.acquire('alice', 'free', o3)).toEqual({ ok: false, status: 403 });
    expect(q.acquire('alice', 'pro', o3).ok).toBe(true);
  });

  it('applies a limits function, null meaning forbidden', () => {
    const q = new QuotaModel({
      now: () => 0,
      limits: (model) => (model.id === mini.id ? { perMinute: 1, perDay: 1, concurrent: 1, maxInputTokens: 50 } : null),
    });
    expect(q.limitsOf(mini, 'free')).toMatchObject({ perMinute: 1, maxInputTokens: 50 });
    expect(q.acquire('alice', 'enterprise', gpt41)).toEqual({ ok: false, status: 403 });
  });

  it('scales the table', () => {
    const q = new QuotaModel({ now: () => 0, scale: 0.1 });
    expect(q.limitsOf(gpt41, 'free')).toMatchObject({ perMinute: 1, perDay: 5, concurrent: 2 });
  });

  it('enforces the optional all-models minute cap per user', () => {
    const c = clock();
    const q = new QuotaModel({ now: c.now, userPerMinute: 2, limits: { perMinute: 10, perDay: 10, concurrent: 10 } });
    grant(q.acquire('alice', 'free', mini)).release();
    c.advance(5);
    grant(q.acquire('alice', 'free', gpt41)).release();
    expect(q.acquire('alice', 'free', { id: 'microsoft/phi-4' })).toMatchObject({ limitType: 'UserByMinute', limit: 2, waitSeconds: 55 });
    expect(q.acquire('bob', 'free', mini).ok).toBe(true);
  });

  it('enforces the optional tokens-per-minute cap per (user, model)', () => {
    const c = clock();
    const q = new QuotaModel({ now: c.now, tokensPerMinute: 100, limits: { perMinute: 10, perDay: 10, concurrent: 10 } });
    grant(q.acquire('alice', 'free', mini, 60)).release();
    c.advance(1);
    expect(q.acquire('alice', 'free', mini, 41)).toMatchObject({ limitType: 'UserByModelByMinuteTokens', limit: 100, windowSeconds: 60, waitSeconds: 59 });
    grant(q.acquire('alice', 'free', mini, 40)).release();
    expect(q.usage('alice', mini.id).tokensMinute.count).toBe(100);
    expect(q.acquire('alice', 'free', gpt41, 41).ok).toBe(true);
  });

  it('exhausts a window on demand and resets everything', () => {
    const c = clock();
    const q = new QuotaModel({ now: c.now });
    expect(q.exhaust('alice', 'free', gpt41, 'UserByModelByDay')).toBe(true);
    expect(q.acquire('alice', 'free', gpt41)).toMatchObject({ limitType: 'UserByModelByDay', limit: 50, waitSeconds: 86400 });
    expect(q.exhaust('alice', 'free', gpt41, 'UserByMinute')).toBe(false);
    const lease = grant(q.acquire('alice', 'free', mini));
    q.reset();
    expect(q.usage('alice', gpt41.id)).toEqual({
      minute: { count: 0, resetsAt: null },
      day: { count: 0, resetsAt: null },
      tokensMinute: { count: 0, resetsAt: null },
      userMinute: { count: 0, resetsAt: null },
      inFlight: 0,
    });
    grant(q.acquire('alice', 'free', mini));
    lease.release(); // from before the reset: must not free the new lease's slot
    expect(q.usage('alice', mini.id).inFlight).toBe(1);
  });
});

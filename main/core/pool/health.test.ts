import { describe, expect, it } from 'vitest';
import type { EventBody } from '../../../shared/events';
import type { LimitSignal } from '../providers/types';
import { GITHUB_MODELS_RETIREMENT } from '../upstream/retirement';
import { accountHealth, type AccountState, blockerOf, BREAKER_THRESHOLD, HALF_OPEN_AFTER_MS, newAccount } from './account';
import { createParts, type PoolParts } from './parts';
import { clearMarks, markForbidden, markInvalid, markRateLimited, marksOf, recordFailure, recordSuccess, restoreMarks, retireProvider } from './health';
import { FakeUpstream } from './test-support/fake-upstream';
import { makeSettings } from './test-support/harness';
import { VirtualClock } from './test-support/virtual-clock';

const M = 'openai/gpt-4o-mini';
const OTHER = 'openai/gpt-4.1';

function setup(): { ctx: PoolParts; account: AccountState; events: EventBody[]; clock: VirtualClock } {
  const clock = new VirtualClock();
  const events: EventBody[] = [];
  const settings = makeSettings();
  const ctx = createParts({ upstream: new FakeUpstream(clock), clock, settings: () => settings, emit: (e) => events.push(e) });
  const account = newAccount({ key: 'K', token: 'gho_health_token_0001', plan: 'free', disabled: false }, { login: 'alice', avatarUrl: null });
  account.resolution = { kind: 'resolved' };
  ctx.book.accounts = [account];
  return { ctx, account, events, clock };
}

const signal = (scope: LimitSignal['scope'], githubLimitType: string, resetAt: number): LimitSignal => ({
  scope,
  window: { period: 'minute', unit: 'requests' },
  resetAt,
  source: 'reset-header',
  clamped: false,
  message: '',
  githubLimitType,
});

describe('account health transitions', () => {
  it('starts well', () => {
    const { ctx, account, clock } = setup();
    expect(accountHealth(account, ctx.quota, clock.now(), ctx.retired)).toEqual({ kind: 'well' });
    expect(blockerOf(account, ctx.quota, M, clock.now(), ctx.retired)).toBeNull();
  });

  it('invalid: once, with its reason and one event', () => {
    const { ctx, account, events, clock } = setup();
    expect(markInvalid(ctx, account, 'Bad credentials')).toEqual({ kind: 'invalid', account, reason: 'Bad credentials' });
    expect(markInvalid(ctx, account, 'again')).toBeNull();
    expect(events).toEqual([{ kind: 'account-invalid', account: 'K', login: 'alice', reason: 'Bad credentials' }]);
    expect(accountHealth(account, ctx.quota, clock.now(), ctx.retired)).toEqual({ kind: 'invalid', reason: 'Bad credentials' });
  });

  it('forbidden holds one model only', () => {
    const { ctx, account, events, clock } = setup();
    expect(markForbidden(ctx, account, M)?.kind).toBe('forbidden');
    expect(markForbidden(ctx, account, M)).toBeNull();
    expect(events).toEqual([{ kind: 'model-forbidden', account: 'K', model: M }]);
    expect(blockerOf(account, ctx.quota, M, clock.now(), ctx.retired)).toEqual({ kind: 'forbidden', model: M });
    expect(blockerOf(account, ctx.quota, OTHER, clock.now(), ctx.retired)).toBeNull();
    expect(accountHealth(account, ctx.quota, clock.now(), ctx.retired)).toEqual({ kind: 'well' });
  });

  it('a model limit cools one model; an owner limit cools the account; a concurrency limit pauses it; a shorter later one changes nothing', async () => {
    const { ctx, account, events, clock } = setup();
    const t = clock.now();
    await markRateLimited(ctx, account, M, signal('model', 'UserByModelByDay', t + 60_000), t);
    expect(blockerOf(account, ctx.quota, M, t, ctx.retired)).toMatchObject({ kind: 'cooling', until: t + 60_000, limit: { scope: 'model', limitType: 'UserByModelByDay' } });
    expect(blockerOf(account, ctx.quota, OTHER, t, ctx.retired)).toBeNull();
    expect(accountHealth(account, ctx.quota, t, ctx.retired)).toEqual({ kind: 'well' });
    const shorter = await markRateLimited(ctx, account, M, signal('model', 'UserByModelByDay', t + 10_000), t);
    expect(shorter.changed).toBe(false);
    expect(events.filter((e) => e.kind === 'cooldown-started')).toHaveLength(1);

    await markRateLimited(ctx, account, OTHER, signal('owner', 'UserByMinute', t + 30_000), t);
    expect(accountHealth(account, ctx.quota, t, ctx.retired)).toMatchObject({ kind: 'cooling', until: t + 30_000, limit: { scope: 'user' } });
    expect(events.at(-1)).toMatchObject({ kind: 'cooldown-started', model: null, limitType: 'UserByMinute' });

    const fresh = setup();
    await markRateLimited(fresh.ctx, fresh.account, M, signal('concurrency', 'UserConcurrentRequests', fresh.clock.now()), fresh.clock.now());
    expect(accountHealth(fresh.account, fresh.ctx.quota, fresh.clock.now(), fresh.ctx.retired)).toMatchObject({ kind: 'paused', limit: { scope: 'concurrency' } });
    expect(fresh.ctx.book.totals.get('K')?.rateLimited).toBe(1);
  });

  it('failures open the breaker (derived count), it half-opens for one probe, and a success closes it', () => {
    const { ctx, account, events, clock } = setup();
    const t = clock.now();
    for (let i = 1; i < BREAKER_THRESHOLD; i++) expect(recordFailure(ctx, account, t)).toMatchObject({ kind: 'failed', opened: null });
    expect(recordFailure(ctx, account, t)).toMatchObject({ kind: 'failed', opened: { until: t + HALF_OPEN_AFTER_MS } });
    expect(marksOf(account).failures).toBe(BREAKER_THRESHOLD);
    expect(accountHealth(account, ctx.quota, t, ctx.retired)).toEqual({ kind: 'breaker-open', until: t + HALF_OPEN_AFTER_MS });
    expect(events).toEqual([{ kind: 'circuit-opened', account: 'K', until: t + HALF_OPEN_AFTER_MS }]);
    const later = t + HALF_OPEN_AFTER_MS;
    account.breaker.begin(later);
    expect(blockerOf(account, ctx.quota, M, later, ctx.retired)).toEqual({ kind: 'breaker-half-open' });
    expect(accountHealth(account, ctx.quota, later, ctx.retired)).toEqual({ kind: 'breaker-half-open' });
    expect(recordSuccess(ctx, account)).toEqual({ kind: 'breaker-closed', account });
    expect(recordSuccess(ctx, account)).toBeNull();
    expect(events.at(-1)).toEqual({ kind: 'recovered', account: 'K', model: null });
    expect(accountHealth(account, ctx.quota, later, ctx.retired)).toEqual({ kind: 'well' });
    expect(ctx.book.totals.get('K')?.errors).toBe(BREAKER_THRESHOLD);
  });

  it('retired: every account of the provider, once; wins over invalid and cooling', async () => {
    const { ctx, account, events, clock } = setup();
    markInvalid(ctx, account, 'Bad credentials');
    expect(retireProvider(ctx, GITHUB_MODELS_RETIREMENT)).toMatchObject({ kind: 'retired', accounts: ['K'] });
    expect(retireProvider(ctx, GITHUB_MODELS_RETIREMENT)).toBeNull();
    expect(events.filter((e) => e.kind === 'provider-retired')).toHaveLength(1);
    expect(accountHealth(account, ctx.quota, clock.now(), ctx.retired)).toEqual({ kind: 'retired', reason: GITHUB_MODELS_RETIREMENT.message });
    expect(blockerOf(account, ctx.quota, M, clock.now(), ctx.retired)).toEqual({ kind: 'retired', reason: GITHUB_MODELS_RETIREMENT.message });
  });

  it('disabled wins over everything', () => {
    const { ctx, account, clock } = setup();
    retireProvider(ctx, GITHUB_MODELS_RETIREMENT);
    account.disabled = true;
    expect(accountHealth(account, ctx.quota, clock.now(), ctx.retired)).toEqual({ kind: 'disabled' });
  });

  it('marks are saved and restored (the breaker count too), and cleared by hand', () => {
    const { ctx, account } = setup();
    markInvalid(ctx, account, 'Bad credentials');
    markForbidden(ctx, account, M);
    recordFailure(ctx, account, 0);
    const saved = marksOf(account);
    expect(saved).toEqual({ invalid: 'Bad credentials', forbidden: [M], failures: 1 });
    const copy = newAccount({ key: 'K', token: 'gho_health_token_0001', plan: 'free', disabled: false }, null);
    restoreMarks(copy, saved);
    expect(marksOf(copy)).toEqual(saved);
    expect(clearMarks(copy, M)).toBe(1);
    expect(clearMarks(copy, undefined)).toBe(1);
    expect(marksOf(copy)).toEqual({ invalid: null, forbidden: [], failures: 0 });
  });
});

import { describe, expect, it } from 'vitest';
import type { LimitType, ResetSource } from '../../../shared/domain';
import { CAP_RECOVERY_MS, CONCURRENCY_PAUSE_MS, cooldownRecord, scopeOf } from './cooldowns';
import { emptySubject } from './memory-quota-store';
import { applyCooldownTo } from './memory-quota-store';
import { tooMany, type HttpSpec } from './test-support/fixtures';
import { consume, makeHarness, mini, TOKENS, twoAccounts } from './test-support/harness';

describe('scopeOf', () => {
  it('maps each limit type to the state it blocks', () => {
    expect(scopeOf('UserByModelByDay')).toBe('model');
    expect(scopeOf('UserByModelByMinute')).toBe('model');
    expect(scopeOf('UserByModelByMinuteTokens')).toBe('model');
    expect(scopeOf('Unknown')).toBe('model');
    expect(scopeOf('UserByMinute')).toBe('user');
    expect(scopeOf('UserConcurrentRequests')).toBe('concurrency');
  });
});

describe('a 429 applied to the in-memory ledger', () => {
  it('a concurrency 429 pauses ~1 s and caps in-flight below what upstream refused', () => {
    const subject = emptySubject('login:alice');
    subject.inFlight = 3;
    const effect = applyCooldownTo(subject, 'm', cooldownRecord({ limitType: 'UserConcurrentRequests', resetSeconds: 0, source: 'x-ratelimit-timeremaining' }, 'K', 1_000), 1_000);
    expect(effect.kept.scope).toBe('concurrency');
    expect(subject.pause?.until).toBe(1_000 + CONCURRENCY_PAUSE_MS);
    expect(subject.cap).toEqual({ value: 2, until: 1_000 + CAP_RECOVERY_MS });
    expect(subject.models.size).toBe(0);
  });

  it('a concurrency 429 whose reset fell back to the default still pauses only briefly', () => {
    const subject = emptySubject('login:alice');
    applyCooldownTo(subject, 'm', cooldownRecord({ limitType: 'UserConcurrentRequests', resetSeconds: 60, source: 'default' }, 'K', 0), 0);
    expect(subject.pause?.until).toBe(CONCURRENCY_PAUSE_MS);
  });
});

interface Variant {
  name: string;
  spec: HttpSpec;
  scope: 'model' | 'user';
  limitType: LimitType;
  source: ResetSource;
  seconds: number;
}

const variants: Variant[] = [
  { name: 'UserByModelByDay', spec: tooMany.day(5631), scope: 'model', limitType: 'UserByModelByDay', source: 'x-ratelimit-timeremaining', seconds: 5631 },
  { name: 'UserByModelByMinute', spec: tooMany.minute(42), scope: 'model', limitType: 'UserByModelByMinute', source: 'x-ratelimit-timeremaining', seconds: 42 },
  { name: 'UserByModelByMinuteTokens', spec: tooMany.tokens(25), scope: 'model', limitType: 'UserByModelByMinuteTokens', source: 'x-ratelimit-timeremaining', seconds: 25 },
  { name: 'UserByMinute', spec: tooMany.userMinute(30), scope: 'user', limitType: 'UserByMinute', source: 'x-ratelimit-timeremaining', seconds: 30 },
  { name: 'UserConcurrentRequests', spec: tooMany.concurrent(), scope: 'user', limitType: 'UserConcurrentRequests', source: 'x-ratelimit-timeremaining', seconds: 1 },
  { name: 'headers missing (type and wait from the message)', spec: tooMany.messageOnly('UserByModelByDay', 5631), scope: 'model', limitType: 'UserByModelByDay', source: 'message', seconds: 5631 },
  { name: 'only Retry-After', spec: tooMany.retryAfterOnly(90), scope: 'model', limitType: 'Unknown', source: 'retry-after', seconds: 90 },
  { name: 'nothing readable (default cooldown)', spec: tooMany.bare(), scope: 'model', limitType: 'Unknown', source: 'default', seconds: 77 },
];

describe('each 429 variant is read and scoped', () => {
  for (const v of variants) {
    it(v.name, async () => {
      const h = makeHarness({ maxWaitMs: 0, defaultCooldownSeconds: 77 });
      await h.accounts(twoAccounts().slice(0, 1));
      const t0 = h.clock.now();
      h.upstream.queue(TOKENS.one, mini.id, v.spec);
      const result = await h.send();
      expect(!result.ok && result.error.status).toBe(429);
      expect(!result.ok && result.error.retryAfterSeconds).toBe(v.seconds);
      const account = h.pool.snapshot().accounts[0]!;
      if (v.scope === 'model') {
        expect(account.blocks).toEqual([
          { model: mini.id, reason: 'rate-limit', limitType: v.limitType, source: v.source, until: t0 + v.seconds * 1000, retryAfterSeconds: v.seconds },
        ]);
        expect(account.userBlock).toBeNull();
      } else {
        expect(account.blocks).toEqual([]);
        expect(account.userBlock).toEqual({ limitType: v.limitType, source: v.source, until: t0 + v.seconds * 1000, retryAfterSeconds: v.seconds });
      }
    });
  }
});

describe('UserConcurrentRequests through the pool', () => {
  it('pauses the login briefly, lowers its in-flight cap, and serves once a slot frees', async () => {
    const h = makeHarness({ maxWaitMs: 20_000 });
    await h.accounts(twoAccounts().slice(0, 1));
    const t0 = h.clock.now();
    const held = await h.send();
    expect(held.ok).toBe(true);
    h.upstream.queue(TOKENS.one, mini.id, tooMany.concurrent());
    const second = h.send();
    await h.clock.advance(CONCURRENCY_PAUSE_MS);
    // Pause over, but the cap (1 in flight) holds the request back until the first ends.
    await h.clock.advance(3_000);
    expect(h.upstream.calls).toHaveLength(2);
    await consume(held);
    const result = await second;
    expect(result.ok).toBe(true);
    expect(h.upstream.calls.map((c) => c.at - t0)).toEqual([0, 0, CONCURRENCY_PAUSE_MS + 3_000]);
    await consume(result);

    // The cap recovers later: two requests at once go out together again.
    await h.clock.advance(CAP_RECOVERY_MS);
    const [a, b] = [h.send(), h.send()];
    await h.clock.advance(0);
    const both = await Promise.all([a, b]);
    expect(both.every((r) => r.ok)).toBe(true);
    expect(h.upstream.calls.slice(3).map((c) => c.at)).toEqual([h.clock.now(), h.clock.now()]);
  });

  it('moves the request to another login at once instead of waiting', async () => {
    const h = makeHarness();
    await h.accounts(twoAccounts());
    h.upstream.queue(TOKENS.one, mini.id, tooMany.concurrent());
    const result = await h.serve();
    expect(result.ok && result.account).toBe('GITHUB_TOKEN2');
    expect(h.kinds('rotated')).toMatchObject([{ reason: 'UserConcurrentRequests' }]);
  });
});

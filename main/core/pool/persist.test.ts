import { describe, expect, it } from 'vitest';
import { UpstreamNetworkError } from '../upstream/types';
import { fingerprintOf } from './account';
import { badCredentials, forbidden, tooMany } from './test-support/fixtures';
import { gpt41, makeHarness, mini, TOKENS, twoAccounts, type Harness } from './test-support/harness';
import { VirtualClock } from './test-support/virtual-clock';

const roundTrip = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

/** A second pool "after a restart": same time, GitHub's /user unreachable. */
function restarted(h: Harness, patch = {}): Harness {
  const next = makeHarness(patch, new VirtualClock(h.clock.now()));
  for (const token of Object.values(TOKENS)) next.upstream.userFails(token, new UpstreamNetworkError('connection_refused', 'api.github.com: connection refused'));
  return next;
}

async function setAccountsRaw(h: Harness, list = twoAccounts()) {
  await h.pool.setAccounts(list.map((a) => ({ key: a.key, token: a.token, plan: 'free' as const, disabled: false })));
}

describe('serialize / restore', () => {
  it('a daily block survives a restart: no request goes upstream to rediscover it', async () => {
    const h = makeHarness({ maxWaitMs: 0 });
    await h.accounts(twoAccounts().slice(0, 1));
    const t0 = h.clock.now();
    h.upstream.queue(TOKENS.one, mini.id, tooMany.day(5631));
    await h.send();
    const saved = roundTrip(await h.pool.serialize());

    for (const order of ['restore-first', 'accounts-first'] as const) {
      const r = restarted(h, { maxWaitMs: 0 });
      if (order === 'restore-first') {
        await r.pool.restore(saved);
        await setAccountsRaw(r, twoAccounts().slice(0, 1));
      } else {
        await setAccountsRaw(r, twoAccounts().slice(0, 1));
        await r.pool.restore(saved);
      }
      const result = await r.send();
      expect(!result.ok && result.error.status).toBe(429);
      expect(!result.ok && result.error.retryAfterSeconds).toBe(5631);
      expect(r.upstream.calls).toHaveLength(0);
      const view = r.pool.snapshot().accounts[0]!;
      expect(view.login).toBe('alice'); // from the login cache, /user being unreachable
      expect(view.status).toBe('checking');
      expect(view.blocks).toMatchObject([{ model: mini.id, limitType: 'UserByModelByDay', until: t0 + 5_631_000 }]);
    }
  });

  it('reads a version 1 ledger (quota by login subject) into owners: github:<login>', async () => {
    const h = makeHarness({ maxWaitMs: 0 });
    const t0 = h.clock.now();
    const w = (count: number) => ({ start: t0 - 1_000, count });
    const cooldown = { until: t0 + 3_600_000, limitType: 'UserByModelByDay', source: 'x-ratelimit-timeremaining', scope: 'model', account: 'GITHUB_TOKEN' };
    const v1 = {
      version: 1,
      savedAt: t0,
      subjects: [
        { id: 'login:alice', minute: w(3), day: w(3), models: [{ model: mini.id, minute: w(3), day: w(3), tokensDay: w(500), cooldown }], userCooldown: null, pause: null, cap: null },
        { id: 'key:GITHUB_TOKEN9', minute: w(1), day: w(1), models: [], userCooldown: null, pause: null, cap: null },
      ],
      accounts: [],
      logins: [{ fingerprint: fingerprintOf(TOKENS.one), login: 'alice', avatarUrl: null }],
      totals: [{ key: 'GITHUB_TOKEN', served: 3, rateLimited: 1, errors: 0 }],
      traffic: [],
      models: [{ id: mini.id, rate_limit_tier: 'low' }],
      current: 'GITHUB_TOKEN',
      lastIndex: 0,
      limits: [{ subject: 'login:alice', model: gpt41.id, limitType: 'UserByModelByMinute', limit: 10, confirmed: true, at: t0 }],
    };
    const r = restarted(h, { maxWaitMs: 0 });
    await r.pool.restore(v1);
    await setAccountsRaw(r, twoAccounts().slice(0, 1));
    const view = r.pool.snapshot().accounts[0]!;
    expect(view.login).toBe('alice');
    expect(view.blocks).toMatchObject([{ model: mini.id, reason: 'rate-limit', limitType: 'UserByModelByDay', until: t0 + 3_600_000 }]);
    expect(view.usage).toMatchObject([{ model: mini.id, minute: 3, day: 3, tokensDay: 500 }]);
    expect(view.totals).toEqual({ served: 3, rateLimited: 1, errors: 0 });
    const refused = await r.send(mini);
    expect(!refused.ok && refused.error.status).toBe(429);
    expect(r.upstream.calls).toHaveLength(0);
    const saved = roundTrip(await r.pool.serialize()) as { version: number; owners: { owner: string }[]; limits: { owner: string }[] };
    expect(saved.version).toBe(2);
    expect(saved.owners.map((o) => o.owner)).toEqual(['github:alice', 'github:key:GITHUB_TOKEN9']);
    expect(saved.limits).toEqual([{ owner: 'github:alice', model: gpt41.id, limitType: 'UserByModelByMinute', limit: 10, confirmed: true, at: t0 }]);
  });

  it('keeps window counts, totals, traffic and the current account', async () => {
    const h = makeHarness({ strategy: 'round-robin' });
    await h.accounts(twoAccounts());
    for (let i = 0; i < 3; i++) await h.serve();
    const before = h.pool.snapshot();
    const r = restarted(h, { strategy: 'round-robin' });
    await r.pool.restore(roundTrip(await h.pool.serialize()));
    await setAccountsRaw(r);
    const after = r.pool.snapshot();
    expect(after.currentKey).toBe(before.currentKey);
    expect(after.accounts.map((a) => [a.usage, a.totals])).toEqual(before.accounts.map((a) => [a.usage, a.totals]));
    expect(after.traffic.history).toEqual(before.traffic.history);
    const next = await r.serve();
    expect(next.ok && next.account).toBe('GITHUB_TOKEN2'); // round robin continues where it was
  });

  it('invalid and forbidden marks persist for the same token; a replaced token clears them', async () => {
    const h = makeHarness();
    await h.accounts(twoAccounts());
    h.upstream.queue(TOKENS.one, mini.id, badCredentials());
    h.upstream.queue(TOKENS.two, gpt41.id, forbidden());
    await h.serve(mini);
    await h.send(gpt41);
    const saved = roundTrip(await h.pool.serialize());
    expect(JSON.stringify(saved)).not.toContain(TOKENS.one);
    expect(JSON.stringify(saved)).not.toContain(TOKENS.two);

    const same = restarted(h);
    await same.pool.restore(saved);
    await setAccountsRaw(same);
    const views = same.pool.snapshot().accounts;
    expect(views[0]).toMatchObject({ status: 'invalid', statusReason: 'Bad credentials' });
    expect(views[1]!.blocks).toMatchObject([{ model: gpt41.id, reason: 'forbidden' }]);

    const replaced = restarted(h);
    const fresh = 'gho_NewTokenForAliceQQQQQQQQ99';
    replaced.upstream.user(fresh, 'alice');
    await replaced.pool.restore(saved);
    await setAccountsRaw(replaced, [{ key: 'GITHUB_TOKEN', token: fresh, login: 'alice' }, twoAccounts()[1]!]);
    expect(replaced.pool.snapshot().accounts[0]).toMatchObject({ status: 'ok', statusReason: null, login: 'alice' });
    replaced.settings.strategy = 'round-robin'; // restored: GITHUB_TOKEN2 served last, so GITHUB_TOKEN is next
    const served = await replaced.serve(mini);
    expect(served.ok && served.account).toBe('GITHUB_TOKEN');
    expect(replaced.upstream.callsFor(fresh)).toHaveLength(1);
  });

  it('garbage of any kind starts empty and never throws', async () => {
    const garbage: unknown[] = [
      undefined,
      null,
      'garbage',
      42,
      [],
      { version: 2 },
      { version: 1, subjects: 'nope' },
      { version: 1, savedAt: 'x', subjects: [], accounts: [], logins: [], totals: [], traffic: [], models: [], current: null, lastIndex: 0 },
    ];
    for (const g of garbage) {
      const h = makeHarness();
      await expect(h.pool.restore(g)).resolves.toBeUndefined();
      await h.accounts(twoAccounts());
      const snap = h.pool.snapshot();
      expect(snap.accounts.every((a) => a.blocks.length === 0 && a.usage.length === 0 && a.totals.served === 0)).toBe(true);
      expect((await h.serve()).ok).toBe(true);
    }
  });

  it('drops bad items but keeps the good ones', async () => {
    const h = makeHarness({ maxWaitMs: 0 });
    await h.accounts(twoAccounts());
    h.upstream.queue(TOKENS.one, mini.id, tooMany.day());
    h.upstream.queue(TOKENS.two, mini.id, tooMany.day());
    await h.send();
    const saved = roundTrip(await h.pool.serialize()) as { owners: unknown[] };
    saved.owners.push({ owner: 'github:mallory', minute: 'bad' }, 17, null);
    const r = restarted(h, { maxWaitMs: 0 });
    await r.pool.restore(saved);
    await setAccountsRaw(r);
    expect(r.pool.snapshot().accounts.map((a) => a.blocks.length)).toEqual([1, 1]);
  });
});

import { describe, expect, it } from 'vitest';
import { UpstreamNetworkError } from '../upstream/types';
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
    const saved = roundTrip(h.pool.serialize());

    for (const order of ['restore-first', 'accounts-first'] as const) {
      const r = restarted(h, { maxWaitMs: 0 });
      if (order === 'restore-first') {
        r.pool.restore(saved);
        await setAccountsRaw(r, twoAccounts().slice(0, 1));
      } else {
        await setAccountsRaw(r, twoAccounts().slice(0, 1));
        r.pool.restore(saved);
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

  it('keeps window counts, totals, traffic and the current account', async () => {
    const h = makeHarness({ strategy: 'round-robin' });
    await h.accounts(twoAccounts());
    for (let i = 0; i < 3; i++) await h.serve();
    const before = h.pool.snapshot();
    const r = restarted(h, { strategy: 'round-robin' });
    r.pool.restore(roundTrip(h.pool.serialize()));
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
    const saved = roundTrip(h.pool.serialize());
    expect(JSON.stringify(saved)).not.toContain(TOKENS.one);
    expect(JSON.stringify(saved)).not.toContain(TOKENS.two);

    const same = restarted(h);
    same.pool.restore(saved);
    await setAccountsRaw(same);
    const views = same.pool.snapshot().accounts;
    expect(views[0]).toMatchObject({ status: 'invalid', statusReason: 'Bad credentials' });
    expect(views[1]!.blocks).toMatchObject([{ model: gpt41.id, reason: 'forbidden' }]);

    const replaced = restarted(h);
    const fresh = 'gho_NewTokenForAliceQQQQQQQQ99';
    replaced.upstream.user(fresh, 'alice');
    replaced.pool.restore(saved);
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
      expect(() => h.pool.restore(g)).not.toThrow();
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
    const saved = roundTrip(h.pool.serialize()) as { subjects: unknown[] };
    saved.subjects.push({ id: 'login:mallory', minute: 'bad' }, 17, null);
    const r = restarted(h, { maxWaitMs: 0 });
    r.pool.restore(saved);
    await setAccountsRaw(r);
    expect(r.pool.snapshot().accounts.map((a) => a.blocks.length)).toEqual([1, 1]);
  });
});

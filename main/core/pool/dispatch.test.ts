import { describe, expect, it } from 'vitest';
import { tooMany } from './test-support/fixtures';
import { gate } from './test-support/fake-upstream';
import { consume, gpt41, makeHarness, mini, TOKENS, twoAccounts } from './test-support/harness';

const DAY = 'UserByModelByDay';

describe('dispatch: transparent rotation on 429', () => {
  it('a daily limit on one account moves the request to the other, which serves it', async () => {
    const h = makeHarness();
    await h.accounts(twoAccounts());
    const t0 = h.clock.now();
    h.upstream.queue(TOKENS.one, mini.id, tooMany.day(5631));

    const first = await h.serve();
    expect(first.ok && first.account).toBe('GITHUB_TOKEN2');
    expect(first.ok && first.attempts).toBe(2);
    expect(h.kinds('rotated')).toEqual([
      { kind: 'rotated', from: 'GITHUB_TOKEN', to: 'GITHUB_TOKEN2', model: mini.id, reason: DAY, resetsAt: t0 + 5_631_000 },
    ]);
    expect(h.kinds('cooldown-started')).toEqual([
      { kind: 'cooldown-started', account: 'GITHUB_TOKEN', login: 'alice', model: mini.id, limitType: DAY, until: t0 + 5_631_000 },
    ]);

    const second = await h.serve();
    expect(second.ok && second.account).toBe('GITHUB_TOKEN2');
    expect(h.upstream.callsFor(TOKENS.one)).toHaveLength(1);
    const snap = h.pool.snapshot();
    expect(snap.currentKey).toBe('GITHUB_TOKEN2');
    expect(snap.accounts[0]!.blocks).toEqual([
      { model: mini.id, reason: 'rate-limit', limitType: DAY, source: 'x-ratelimit-timeremaining', until: t0 + 5_631_000, retryAfterSeconds: 5631 },
    ]);
    expect(h.observations).toContainEqual({ type: 'rotation', from: 'GITHUB_TOKEN', to: 'GITHUB_TOKEN2', model: mini.id, reason: DAY });
    expect(h.observations).toContainEqual(expect.objectContaining({ type: 'upstream', account: 'GITHUB_TOKEN', status: 429, limitType: DAY }));
  });

  it('a 429 for model A never blocks model B on the same account', async () => {
    const h = makeHarness({ maxWaitMs: 0 });
    await h.accounts(twoAccounts().slice(0, 1));
    h.upstream.queue(TOKENS.one, mini.id, tooMany.day());
    const blocked = await h.send(mini);
    expect(!blocked.ok && blocked.error.status).toBe(429);
    const other = await h.serve(gpt41);
    expect(other.ok && other.account).toBe('GITHUB_TOKEN');
    expect(h.pool.snapshot().accounts[0]!.userBlock).toBeNull();
  });

  it('UserByMinute blocks every model of that login, and only that login', async () => {
    const h = makeHarness({ maxWaitMs: 0 });
    await h.accounts(twoAccounts());
    h.upstream.queue(TOKENS.one, mini.id, tooMany.userMinute(30));
    const first = await h.serve(mini);
    expect(first.ok && first.account).toBe('GITHUB_TOKEN2');

    // bob now hits a daily limit on gpt-4.1; alice may not take it either (user-wide block).
    h.upstream.queue(TOKENS.two, gpt41.id, tooMany.day());
    const refused = await h.send(gpt41);
    expect(!refused.ok && refused.error.status).toBe(429);
    expect(h.upstream.callsFor(TOKENS.one, gpt41.id)).toHaveLength(0);
    // bob still serves other models.
    const again = await h.serve(mini);
    expect(again.ok && again.account).toBe('GITHUB_TOKEN2');
    const [alice, bob] = h.pool.snapshot().accounts;
    expect(alice!.status).toBe('cooling');
    expect(alice!.userBlock).toMatchObject({ limitType: 'UserByMinute', retryAfterSeconds: 30 });
    expect(bob!.userBlock).toBeNull();
  });

  it('the same login is not a rotation target for a limit on that login', async () => {
    const h = makeHarness();
    await h.accounts([
      { key: 'GITHUB_TOKEN', token: TOKENS.one, login: 'alice' },
      { key: 'GITHUB_TOKEN3', token: TOKENS.three, login: 'alice' },
      { key: 'GITHUB_TOKEN2', token: TOKENS.two, login: 'bob' },
    ]);
    h.upstream.queue(TOKENS.one, mini.id, tooMany.day());
    const result = await h.serve();
    expect(result.ok && result.account).toBe('GITHUB_TOKEN2');
    expect(h.upstream.callsFor(TOKENS.three)).toHaveLength(0);
    expect(h.kinds('rotated')).toMatchObject([{ from: 'GITHUB_TOKEN', to: 'GITHUB_TOKEN2' }]);
  });
});

describe('dispatch: when every account is blocked', () => {
  it('waits for a reset within maxWaitMs, then serves', async () => {
    const h = makeHarness({ maxWaitMs: 20_000 });
    await h.accounts(twoAccounts().slice(0, 1));
    const t0 = h.clock.now();
    h.upstream.queue(TOKENS.one, mini.id, tooMany.minute(10));
    let settled = false;
    const pending = h.send().then((r) => ((settled = true), r));
    await h.clock.advance(9_999);
    expect(settled).toBe(false);
    await h.clock.advance(1);
    const result = await pending;
    expect(result.ok).toBe(true);
    expect(result.ok && result.waitedMs).toBe(10_000);
    expect(h.upstream.calls.map((c) => c.at - t0)).toEqual([0, 10_000]);
    await consume(result);
  });

  it('answers an honest 429: Retry-After to the earliest reset, every account named, no token', async () => {
    const h = makeHarness({ maxWaitMs: 20_000 });
    await h.accounts(twoAccounts());
    const t0 = h.clock.now();
    h.upstream.queue(TOKENS.one, mini.id, tooMany.day(5631));
    h.upstream.queue(TOKENS.two, mini.id, tooMany.day(7200));
    await h.clock.advance(0);
    const result = await h.send();
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.status).toBe(429);
    expect(result.error.type).toBe('rate_limit_error');
    expect(result.error.retryAfterSeconds).toBe(5631);
    const msg = result.error.message;
    expect(msg).toContain('GITHUB_TOKEN (alice)');
    expect(msg).toContain('GITHUB_TOKEN2 (bob)');
    expect(msg).toContain('UserByModelByDay');
    expect(msg).toContain(new Date(t0 + 5_631_000).toISOString());
    expect(msg).toContain('in 1 h 34 min');
    expect(msg).toContain('in 2 h');
    for (const token of [TOKENS.one, TOKENS.two]) {
      expect(msg).not.toContain(token);
      expect(msg).not.toContain(token.slice(4, 20));
    }
  });

  it('rounds Retry-After up to whole seconds', async () => {
    const h = makeHarness({ maxWaitMs: 0 });
    await h.accounts(twoAccounts().slice(0, 1));
    h.upstream.queue(TOKENS.one, mini.id, tooMany.day(100));
    await h.send();
    await h.clock.advance(500);
    const result = await h.send();
    expect(!result.ok && result.error.retryAfterSeconds).toBe(100);
    await h.clock.advance(99_000);
    const later = await h.send();
    expect(!later.ok && later.error.retryAfterSeconds).toBe(1);
  });

  it("an exhausted model is exhausted whatever another provider's accounts do; its recovery names an account of its own provider", async () => {
    const h = makeHarness({ maxWaitMs: 0 });
    // A healthy Groq account does not serve GitHub Models' gpt-4o-mini: it must not hide the episode.
    await h.accounts([{ key: 'GROQ_API_KEY', token: 'gsk_groqTestKeyAAAAAAAAAAAAAAAA', login: null, provider: 'groq' }, ...twoAccounts()]);
    h.upstream.queue(TOKENS.one, mini.id, tooMany.minute(60));
    h.upstream.queue(TOKENS.two, mini.id, tooMany.minute(40));
    const first = await h.send();
    expect(!first.ok && first.error.status).toBe(429);
    expect(h.kinds('model-exhausted')).toEqual([{ kind: 'model-exhausted', model: mini.id, until: h.clock.now() + 40_000 }]);
    expect(h.pool.snapshot().exhaustedModels).toEqual([{ model: mini.id, until: h.clock.now() + 40_000 }]);
    await h.clock.advance(40_000);
    expect(h.kinds('recovered')).toEqual([{ kind: 'recovered', account: 'GITHUB_TOKEN2', model: mini.id }]);
  });

  it('does not send an exhausted model upstream, and says so once per episode', async () => {
    const h = makeHarness({ maxWaitMs: 0 });
    await h.accounts(twoAccounts());
    h.upstream.queue(TOKENS.one, mini.id, tooMany.minute(60));
    h.upstream.queue(TOKENS.two, mini.id, tooMany.minute(40));
    const first = await h.send();
    expect(!first.ok && first.error.status).toBe(429);
    expect(h.upstream.calls).toHaveLength(2);
    for (let i = 0; i < 3; i++) {
      const again = await h.send();
      expect(!again.ok && again.error.status).toBe(429);
    }
    expect(h.upstream.calls).toHaveLength(2);
    expect(h.kinds('model-exhausted')).toEqual([{ kind: 'model-exhausted', model: mini.id, until: h.clock.now() + 40_000 }]);
    expect(h.pool.snapshot().exhaustedModels).toEqual([{ model: mini.id, until: h.clock.now() + 40_000 }]);

    await h.clock.advance(40_000);
    expect(h.kinds('recovered')).toEqual([{ kind: 'recovered', account: 'GITHUB_TOKEN2', model: mini.id }]);
    expect(h.pool.snapshot().exhaustedModels).toEqual([]);
    const served = await h.serve();
    expect(served.ok && served.account).toBe('GITHUB_TOKEN2');
    // A new episode is announced again.
    h.upstream.queue(TOKENS.two, mini.id, tooMany.minute(30));
    await h.send();
    expect(h.kinds('model-exhausted')).toHaveLength(2);
  });

  it('expired cooldowns disappear and cooldown-ended is emitted', async () => {
    const h = makeHarness({ maxWaitMs: 0 });
    await h.accounts(twoAccounts().slice(0, 1));
    h.upstream.queue(TOKENS.one, mini.id, tooMany.minute(42));
    await h.send();
    let changes = 0;
    h.pool.onChange(() => changes++);
    expect(h.pool.snapshot().accounts[0]!.blocks).toHaveLength(1);
    await h.clock.advance(42_000);
    expect(h.kinds('cooldown-ended')).toEqual([{ kind: 'cooldown-ended', account: 'GITHUB_TOKEN', model: mini.id }]);
    expect(changes).toBeGreaterThan(0);
    expect(h.pool.snapshot().accounts[0]!.blocks).toEqual([]);
  });
});

describe('dispatch: cooldowns extend, never shorten', () => {
  async function twoInFlight(firstWait: number, secondWait: number) {
    const h = makeHarness({ maxWaitMs: 0 });
    await h.accounts(twoAccounts().slice(0, 1));
    const g1 = gate();
    const g2 = gate();
    h.upstream.queue(TOKENS.one, mini.id, { gate: g1, then: tooMany.minute(firstWait) }, { gate: g2, then: tooMany.minute(secondWait) });
    const t0 = h.clock.now();
    const a = h.send();
    const b = h.send();
    await h.clock.advance(0);
    expect(h.upstream.calls).toHaveLength(2);
    g1.open();
    await a;
    g2.open();
    await b;
    return { h, t0 };
  }

  it('a later 429 with a shorter wait leaves the longer cooldown', async () => {
    const { h, t0 } = await twoInFlight(42, 10);
    expect(h.pool.snapshot().accounts[0]!.blocks[0]!.until).toBe(t0 + 42_000);
    expect(h.kinds('cooldown-started')).toHaveLength(1);
  });

  it('a later 429 with a longer wait extends it', async () => {
    const { h, t0 } = await twoInFlight(10, 42);
    expect(h.pool.snapshot().accounts[0]!.blocks[0]!.until).toBe(t0 + 42_000);
    expect(h.kinds('cooldown-started').map((e) => e.kind === 'cooldown-started' && e.until)).toEqual([t0 + 10_000, t0 + 42_000]);
  });
});

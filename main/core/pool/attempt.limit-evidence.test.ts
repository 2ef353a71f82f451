import { describe, expect, it } from 'vitest';
import { tooMany } from './test-support/fixtures';
import { gate, ok, type ReplySpec } from './test-support/fake-upstream';
import { consume, gpt41, makeHarness, TOKENS, twoAccounts, type Harness, type SettingsPatch } from './test-support/harness';
import { VirtualClock } from './test-support/virtual-clock';

// gpt-4.1 on a free plan: the bundled forecast says 10 requests a minute.
const MINUTE = 60_000;
const alice = () => twoAccounts().slice(0, 1);
const roundTrip = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

async function fresh(patch: SettingsPatch = { maxWaitMs: 0 }, clock?: VirtualClock): Promise<Harness> {
  const h = makeHarness(patch, clock);
  await h.accounts(alice());
  return h;
}

/** Serves `n` requests at the current time. */
async function spend(h: Harness, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const r = await h.serve(gpt41);
    expect(r.ok).toBe(true);
  }
}

/** One window: 10 served, then the probe that hears "Rate limit of `stated` per 60s". */
async function probedWindow(h: Harness, stated = 10): Promise<void> {
  await spend(h, 10);
  const calls = h.upstream.calls.length;
  h.upstream.queue(TOKENS.one, gpt41.id, tooMany.minute(60, stated));
  const probe = await h.send(gpt41);
  expect(!probe.ok && probe.error.status).toBe(429);
  expect(h.upstream.calls).toHaveLength(calls + 1);
}

const perMinuteShown = (h: Harness) => h.pool.snapshot().accounts[0]!.usage.find((u) => u.model === gpt41.id)?.limits?.perMinute;

describe('confirmed limits: a window GitHub confirmed spent is not asked again', () => {
  it('the second window of a confirmed limit sends nothing upstream: honest 429, or the bounded wait', async () => {
    const h = await fresh();
    await probedWindow(h);
    await h.clock.advance(MINUTE);

    await spend(h, 10);
    const t1 = h.clock.now();
    const calls = h.upstream.calls.length;
    const refused = await h.send(gpt41);
    expect(h.upstream.calls).toHaveLength(calls);
    expect(!refused.ok && refused.error.status).toBe(429);
    expect(!refused.ok && refused.error.retryAfterSeconds).toBe(60);
    expect(!refused.ok && refused.error.message).toContain('UserByModelByMinute limit (10 per minute, as GitHub stated) reached');
    expect(h.pool.snapshot().accounts[0]!.blocks).toEqual([
      { model: gpt41.id, reason: 'rate-limit', limitType: 'UserByModelByMinute', source: null, until: t1 + MINUTE, retryAfterSeconds: 60 },
    ]);
    expect(h.pool.snapshot().exhaustedModels).toEqual([{ model: gpt41.id, until: t1 + MINUTE }]);

    // Within the bounded wait, the request waits for the window and is served, with no 429 upstream.
    h.settings.maxWaitMs = 20_000;
    await h.clock.advance(45_000);
    let settled = false;
    const waited = h.send(gpt41).then((r) => ((settled = true), r));
    await h.clock.advance(14_999);
    expect(settled).toBe(false);
    await h.clock.advance(1);
    const served = await waited;
    expect(served.ok && served.waitedMs).toBe(15_000);
    await consume(served);
    expect(h.upstream.calls).toHaveLength(calls + 1);
    expect(h.upstream.calls.filter((c) => c.at > t1).map((c) => c.at - t1)).toEqual([MINUTE]);
  });

  it('a 429 stating another N: N becomes the forecast, unconfirmed, and is confirmed when stated again', async () => {
    const h = await fresh();
    await probedWindow(h);
    expect(perMinuteShown(h)).toBe(10);
    await h.clock.advance(MINUTE);

    // GitHub lowered the limit: the 8th request of the window hears "Rate limit of 8".
    await spend(h, 7);
    h.upstream.queue(TOKENS.one, gpt41.id, tooMany.minute(60, 8));
    expect((await h.send(gpt41)).ok).toBe(false);
    expect(perMinuteShown(h)).toBe(8);
    expect(h.logs).toContainEqual(expect.objectContaining({ level: 'warn', obj: expect.objectContaining({ tag: 'limit', limit: 8, forecast: 10 }) }));
    await h.clock.advance(MINUTE);

    // Unconfirmed: the spent window (8 now) is probed once, and that 429 confirms 8.
    await spend(h, 8);
    const calls = h.upstream.calls.length;
    h.upstream.queue(TOKENS.one, gpt41.id, tooMany.minute(60, 8));
    expect((await h.send(gpt41)).ok).toBe(false);
    expect(h.upstream.calls).toHaveLength(calls + 1);
    await h.clock.advance(MINUTE);

    await spend(h, 8);
    const before = h.upstream.calls.length;
    const refused = await h.send(gpt41);
    expect(!refused.ok && refused.error.message).toContain('8 per minute, as GitHub stated');
    expect(h.upstream.calls).toHaveLength(before);
  });

  it('a 200 for a request counted beyond a confirmed limit unconfirms it at once', async () => {
    const h = await fresh({ maxWaitMs: 5_000 });
    await spend(h, 10);
    const first = gate();
    const second = gate();
    h.upstream.queue(
      TOKENS.one,
      gpt41.id,
      { gate: first, then: tooMany.minute(55, 10) } as ReplySpec,
      { gate: second, then: ok() } as ReplySpec,
    );
    // The first probe is slow; the second request's wait for it runs out and it probes too.
    const a = h.send(gpt41);
    const b = h.send(gpt41);
    await h.clock.advance(5_000);
    expect(h.upstream.calls).toHaveLength(12);
    first.open();
    expect((await a).ok).toBe(false); // "Rate limit of 10": confirmed
    second.open();
    const served = await b; // ...yet the 12th of the window was served
    expect(served.ok).toBe(true);
    await consume(served);
    expect(h.logs).toContainEqual(expect.objectContaining({ level: 'warn', obj: expect.objectContaining({ tag: 'limit', limit: 10, position: 12 }) }));

    await h.clock.advance(MINUTE);
    await spend(h, 10);
    const calls = h.upstream.calls.length;
    const probe = await h.serve(gpt41);
    expect(probe.ok).toBe(true);
    expect(h.upstream.calls).toHaveLength(calls + 1);
  });

  it('a manual reset unconfirms: the spent window is asked upstream again', async () => {
    const h = await fresh();
    await probedWindow(h);
    await h.clock.advance(MINUTE);
    await spend(h, 10);
    const calls = h.upstream.calls.length;
    expect((await h.send(gpt41)).ok).toBe(false);
    expect(h.upstream.calls).toHaveLength(calls);
    await h.pool.reset({ account: 'GITHUB_TOKEN', model: gpt41.id });
    h.upstream.queue(TOKENS.one, gpt41.id, tooMany.minute(60, 10));
    expect((await h.send(gpt41)).ok).toBe(false);
    expect(h.upstream.calls).toHaveLength(calls + 1);
  });

  it('a confirmation survives a restart with the ledger; a ledger saved without one still loads', async () => {
    const h = await fresh();
    await probedWindow(h);
    await h.clock.advance(MINUTE);
    await spend(h, 10);
    const saved = roundTrip(await h.pool.serialize()) as Record<string, unknown>;

    const r = await fresh({ maxWaitMs: 0 }, new VirtualClock(h.clock.now()));
    await r.pool.restore(saved);
    const refused = await r.send(gpt41);
    expect(!refused.ok && refused.error.status).toBe(429);
    expect(r.upstream.calls).toHaveLength(0);

    const { limits: _limits, ...older } = saved;
    const o = await fresh({ maxWaitMs: 0 }, new VirtualClock(h.clock.now()));
    await o.pool.restore(older);
    expect(o.pool.snapshot().accounts[0]!.usage).toMatchObject([{ model: gpt41.id, minute: 10, day: 20 }]);
    o.upstream.queue(TOKENS.one, gpt41.id, tooMany.minute(60, 10));
    expect((await o.send(gpt41)).ok).toBe(false);
    expect(o.upstream.calls).toHaveLength(1);
  });
});

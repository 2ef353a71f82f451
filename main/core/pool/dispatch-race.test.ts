import { describe, expect, it } from 'vitest';
import { gate, ok } from './test-support/fake-upstream';
import { consume, gpt41, makeHarness, TOKENS, twoAccounts } from './test-support/harness';

// gpt-4.1 is in the high tier: a free account may have 2 requests in flight.
const alice = () => twoAccounts().slice(0, 1);

describe('dispatch: choosing an account and taking its slot happen together', () => {
  it('requests arriving at once never send more than the concurrency cap (throttling off)', async () => {
    const h = makeHarness({ throttling: { enabled: false } });
    await h.accounts(alice());
    const g = gate();
    h.upstream.always(TOKENS.one, gpt41.id, { gate: g, then: ok() });
    const results = Array.from({ length: 5 }, () => h.send(gpt41));
    await h.clock.advance(0);
    expect(h.upstream.calls).toHaveLength(2);
    expect(h.pool.snapshot().traffic.queued).toBe(3);
    g.open();
    for (const r of results) await consume(await r);
    expect(h.upstream.calls).toHaveLength(5);
  });

  it('one freed slot lets exactly one of N waiting requests go', async () => {
    const h = makeHarness({ throttling: { enabled: false } });
    await h.accounts(alice());
    const gates = Array.from({ length: 7 }, () => gate());
    h.upstream.queue(TOKENS.one, gpt41.id, ...gates.map((g) => ({ gate: g, then: ok() })));
    const first = h.send(gpt41);
    const second = h.send(gpt41);
    await h.clock.advance(0);
    const waiters = Array.from({ length: 5 }, () => h.send(gpt41));
    await h.clock.advance(0);
    expect(h.upstream.calls).toHaveLength(2);

    gates[0]!.open();
    await consume(await first);
    await h.clock.advance(0);
    expect(h.upstream.calls).toHaveLength(3);
    expect(h.pool.snapshot().traffic.queued).toBe(4);

    gates[1]!.open();
    await consume(await second);
    await h.clock.advance(0);
    expect(h.upstream.calls).toHaveLength(4);

    for (const g of gates.slice(2)) g.open();
    const served = await Promise.all(
      waiters.map(async (w) => {
        const r = await w;
        await consume(r);
        return r.ok;
      }),
    );
    expect(served).toEqual([true, true, true, true, true]);
    expect(h.upstream.calls).toHaveLength(7);
  });

  it('with throttling on, the spaced request still chooses again after its turn', async () => {
    const h = makeHarness({ throttling: { enabled: true, minIntervalMs: 2_000 } });
    await h.accounts(alice());
    const g = gate();
    h.upstream.always(TOKENS.one, gpt41.id, { gate: g, then: ok() });
    const t0 = h.clock.now();
    const results = Array.from({ length: 3 }, () => h.send(gpt41));
    await h.clock.advance(2_000);
    // The first two took both slots; the third's throttle turn came, but no slot was free.
    expect(h.upstream.calls.map((c) => c.at - t0)).toEqual([0, 2_000]);
    await h.clock.advance(2_000);
    expect(h.upstream.calls).toHaveLength(2);
    g.open();
    for (const r of results) await consume(await r);
    expect(h.upstream.calls).toHaveLength(3);
  });
});

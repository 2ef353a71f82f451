import { describe, expect, it } from 'vitest';
import { ProxyError } from '../errors';
import { silentLogger } from './pool-deps';
import { ModelThrottle } from './parts';
import { consume, gpt41, makeHarness, mini, twoAccounts } from './test-support/harness';
import { VirtualClock } from './test-support/virtual-clock';

const on = { enabled: true, minIntervalMs: 2_000, maxQueue: 100, maxWaitMs: 60_000 };

describe('ModelThrottle', () => {
  it('does nothing when disabled', async () => {
    const t = new ModelThrottle(new VirtualClock(), silentLogger);
    const signal = new AbortController().signal;
    expect(await t.acquire('m', { ...on, enabled: false }, signal)).toBe(0);
    expect(await t.acquire('m', { ...on, enabled: false }, signal)).toBe(0);
  });

  it('reserves slots synchronously: concurrent callers are spaced one gap apart', async () => {
    const clock = new VirtualClock();
    const t = new ModelThrottle(clock, silentLogger);
    const signal = new AbortController().signal;
    const t0 = clock.now();
    const done: number[] = [];
    const all = [0, 1, 2].map((i) => t.acquire('m', on, signal).then(() => (done[i] = clock.now() - t0)));
    expect(t.waiting).toBe(2);
    await clock.advance(4_000);
    await Promise.all(all);
    expect(done).toEqual([0, 2_000, 4_000]);
    // Another model has its own lane.
    expect(await t.acquire('other', on, signal)).toBe(0);
  });

  it('an aborted waiter holding the last slot gives it back', async () => {
    const clock = new VirtualClock();
    const t = new ModelThrottle(clock, silentLogger);
    await t.acquire('m', on, new AbortController().signal);
    const ctrl = new AbortController();
    const second = t.acquire('m', on, ctrl.signal);
    ctrl.abort(new Error('gone'));
    await expect(second).rejects.toThrow('gone');
    expect(t.waiting).toBe(0);
    const third = t.acquire('m', on, new AbortController().signal);
    await clock.advance(2_000);
    expect(await third).toBe(2_000);
  });
});

describe('throttling through the pool', () => {
  it('the second of two quick requests waits ~minIntervalMs, it is not rejected', async () => {
    const h = makeHarness({ throttling: on });
    await h.accounts(twoAccounts());
    const t0 = h.clock.now();
    const a = h.send();
    const b = h.send();
    const c = h.send(gpt41);
    await h.clock.advance(2_000);
    const results = await Promise.all([a, b, c]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(h.upstream.calls.map((x) => [x.model, x.at - t0])).toEqual([
      [mini.id, 0],
      [gpt41.id, 0],
      [mini.id, 2_000],
    ]);
    expect(results[1]!.ok && results[1]!.waitedMs).toBe(2_000);
    expect(h.logs).toContainEqual(expect.objectContaining({ level: 'info', obj: { tag: 'throttle', model: mini.id, delayMs: 2_000 } }));
    for (const r of results) await consume(r);
  });

  it('a full queue answers 429 throttle_queue_full with Retry-After', async () => {
    const h = makeHarness({ throttling: { ...on, maxQueue: 1 } });
    await h.accounts(twoAccounts());
    const a = h.send();
    const b = h.send();
    const c = await h.send();
    expect(c.ok).toBe(false);
    if (c.ok) return;
    expect(c.error).toBeInstanceOf(ProxyError);
    expect(c.error).toMatchObject({ status: 429, type: 'rate_limit_error', code: 'throttle_queue_full', retryAfterSeconds: 4 });
    await h.clock.advance(2_000);
    expect((await a).ok && (await b).ok).toBe(true);
  });

  it('a wait longer than maxWaitMs is refused with a 429', async () => {
    const h = makeHarness({ throttling: { ...on, maxWaitMs: 3_000 } });
    await h.accounts(twoAccounts());
    const a = h.send();
    const b = h.send();
    const c = await h.send();
    expect(!c.ok && c.error).toMatchObject({ status: 429, retryAfterSeconds: 4 });
    await h.clock.advance(2_000);
    await Promise.all([a, b]);
  });

  it('an aborted waiter leaves the queue at once', async () => {
    const h = makeHarness({ throttling: on });
    await h.accounts(twoAccounts());
    await h.send();
    const ctrl = new AbortController();
    const b = h.send(mini, { signal: ctrl.signal });
    await h.clock.advance(0);
    expect(h.pool.snapshot().traffic.queued).toBe(1);
    ctrl.abort();
    const result = await b;
    expect(!result.ok && result.error.code).toBe('client_closed_request');
    expect(h.pool.snapshot().traffic.queued).toBe(0);
    expect(h.upstream.calls).toHaveLength(1);
  });
});

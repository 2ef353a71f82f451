import { afterEach, describe, expect, it } from 'vitest';
import type { EventBody } from '../../../shared/events';
import { startSimulator, type Simulator } from '../../simulator';
import { createUpstreamClient } from '../upstream/client';
import type { UpstreamClient } from '../upstream/types';
import { createPool } from './pool';
import { consume, makeSettings, mini, request, TOKENS, type SettingsPatch } from './test-support/harness';
import { VirtualClock } from './test-support/virtual-clock';

/** The pool over real sockets: the real upstream client against the project's simulator. */
describe('pool against the simulator', () => {
  const open: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    while (open.length) await open.pop()!.close();
  });

  async function setup(clock: VirtualClock, limits: { perDay?: number; perMinute?: number }, patch: SettingsPatch = {}) {
    const sim: Simulator = await startSimulator({
      users: [
        { token: TOKENS.one, login: 'alice' },
        { token: TOKENS.two, login: 'bob' },
      ],
      now: () => clock.now(),
      limits,
    });
    const upstream: UpstreamClient = createUpstreamClient({
      modelsBaseUrl: sim.url,
      apiBaseUrl: sim.url,
      timeouts: { connectMs: 5_000, firstByteMs: 10_000, idleMs: 10_000 },
    });
    open.push(sim, upstream);
    const events: EventBody[] = [];
    const settings = makeSettings(patch);
    const pool = createPool({ upstream, clock, settings: () => settings, emit: (e) => events.push(e) });
    open.push(pool);
    await pool.setAccounts([
      { key: 'GITHUB_TOKEN', token: TOKENS.one, plan: 'free', disabled: false },
      { key: 'GITHUB_TOKEN2', token: TOKENS.two, plan: 'free', disabled: false },
    ]);
    return { sim, pool, events, upstream };
  }

  it('a daily limit moves requests to the other account; the client sees 200 until both are spent, then an honest 429', async () => {
    const clock = new VirtualClock();
    const { sim, pool, events } = await setup(clock, { perDay: 2 }, { maxWaitMs: 0 });
    expect(pool.snapshot().accounts.map((a) => a.login)).toEqual(['alice', 'bob']);
    const served: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await pool.dispatch(request(mini));
      expect(r.ok).toBe(true);
      if (r.ok) served.push(r.account);
      await consume(r);
    }
    expect(served).toEqual(['GITHUB_TOKEN', 'GITHUB_TOKEN', 'GITHUB_TOKEN2', 'GITHUB_TOKEN2']);
    expect(events.filter((e) => e.kind === 'rotated')).toMatchObject([{ from: 'GITHUB_TOKEN', to: 'GITHUB_TOKEN2', reason: 'UserByModelByDay' }]);

    const last = await pool.dispatch(request(mini));
    expect(!last.ok && last.error.status).toBe(429);
    expect(!last.ok && last.error.retryAfterSeconds).toBe(86_400);
    const upstreamCalls = sim.stats().totals.requests;
    expect(sim.stats().totals.rateLimited.UserByModelByDay).toBe(2);

    // After a restart the block is remembered: nothing goes upstream to rediscover it.
    const saved = JSON.parse(JSON.stringify(await pool.serialize())) as unknown;
    const again = await setup(clock, { perDay: 2 }, { maxWaitMs: 0 });
    await again.pool.restore(saved);
    const refused = await again.pool.dispatch(request(mini));
    expect(!refused.ok && refused.error.status).toBe(429);
    expect(again.sim.stats().totals.requests).toBe(0);
    expect(sim.stats().totals.requests).toBe(upstreamCalls);
  });

  it('with the bundled limits matching the simulator, the forecast earns no 429 at all', async () => {
    const clock = new VirtualClock();
    const { sim, pool } = await setup(clock, {}, { maxWaitMs: 60_000 });
    // 15 per minute per (user, model) on the low tier, two users: 30 a minute; ask for 45.
    const results = [];
    for (let i = 0; i < 45; i++) {
      const pending = pool.dispatch(request(mini));
      await clock.advance(i === 30 ? 60_000 : 0);
      const r = await pending;
      results.push(r);
      await consume(r);
    }
    expect(results.every((r) => r.ok)).toBe(true);
    expect(sim.stats().totals.rateLimited).toEqual({});
    expect(sim.stats().totals.served).toBe(45);
  });
});

import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EngineEvent } from '../../../shared/events';
import { startSimulator } from '../../simulator';
import { startHarness, ALICE, BOB, type Harness } from '../test-support/harness';
import { startRedisServer, type RedisServer } from '../test-support/redis-server';

/**
 * One event history across replicas: engines on one real Redis in front of one simulator. What
 * one replica's engine says (a rotation, a reset) every other replica's log holds too, once, marked
 * with its origin; a replica started later loads the team's recent history.
 */

const MINI = 'openai/gpt-4o-mini';
let redis: RedisServer;
let prefixes = 0;

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.close();
});

const ask = (h: Harness) => h.client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
const startOf = (h: Harness) => h.engine.snapshot().startId;
const remoteFrom = (events: EngineEvent[], from: Harness) => events.filter((e) => e.origin?.replica === startOf(from));
const until = (check: () => Promise<void> | void) => vi.waitFor(check, { timeout: 10_000, interval: 20 });

describe('one event history across replicas sharing Redis', () => {
  it('a rotation on one replica is in every other replica’s events and live feed, once, marked remote; a replica started later sees it', async () => {
    const sim = await startSimulator({ users: [ALICE, BOB] });
    const prefix = `events${prefixes++}:`;
    const env = { SWITCHYARD_REDIS_URL: redis.url, SWITCHYARD_REDIS_PREFIX: prefix };
    const a = await startHarness({ sim, env });
    const b = await startHarness({ sim, env });
    let c: Harness | null = null;
    const heardByB: EngineEvent[] = [];
    const offB = b.engine.onEvent((event) => heardByB.push(event));
    try {
      sim.control.exhaust('alice', MINI, 'UserByModelByDay');
      await ask(a);
      const rotation = (await a.engine.getEvents({ kind: 'rotated' }))[0]!;
      expect(rotation).toMatchObject({ from: 'GITHUB_TOKEN', to: 'GITHUB_TOKEN2', model: MINI });
      expect(rotation.origin).toBeUndefined();

      // Then a later event on a: once it arrived, everything before it had (the stream keeps order).
      await a.engine.reset({ account: 'GITHUB_TOKEN2' });
      await until(async () => expect(remoteFrom(await b.engine.getEvents({ kind: 'manual-reset' }), a)).toHaveLength(1));

      const onB = remoteFrom(await b.engine.getEvents(), a);
      const rotatedOnB = onB.filter((e) => e.kind === 'rotated');
      expect(rotatedOnB).toHaveLength(1);
      expect(rotatedOnB[0]).toMatchObject({ from: 'GITHUB_TOKEN', to: 'GITHUB_TOKEN2', model: MINI, ts: rotation.ts, startId: startOf(b), origin: { replica: startOf(a), id: rotation.id } });
      // In b's order: a's rotation before a's reset, each with b's own next id.
      expect(onB.map((e) => e.kind).filter((k) => k === 'rotated' || k === 'manual-reset')).toEqual(['rotated', 'manual-reset']);
      const ids = (await b.engine.getEvents()).map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
      // The live feed (SSE, tray, notifications) told it once too.
      expect(heardByB.filter((e) => e.kind === 'rotated')).toEqual([rotatedOnB[0]]);
      // b's pool did not act on it: b said nothing of its own about rotations or resets.
      expect((await b.engine.getEvents()).filter((e) => !e.origin && (e.kind === 'rotated' || e.kind === 'manual-reset'))).toEqual([]);
      // And a heard b (its start), never itself.
      expect((await a.engine.getEvents()).filter((e) => e.origin?.replica === startOf(a))).toEqual([]);
      await until(async () => expect(remoteFrom(await a.engine.getEvents({ kind: 'started' }), b)).toHaveLength(1));

      // A replica started later loads the team's recent history.
      c = await startHarness({ sim, env });
      const onC = await c.engine.getEvents();
      expect(remoteFrom(onC, a).filter((e) => e.kind === 'rotated')).toEqual([expect.objectContaining({ from: 'GITHUB_TOKEN', origin: { replica: startOf(a), id: rotation.id } })]);
      expect(remoteFrom(onC, b).map((e) => e.kind)).toContain('started');

      // No key ever written to the shared stream.
      const probe = new Redis(redis.url);
      try {
        const rows = await probe.xrange(`${prefix}engine-events`, '-', '+');
        expect(rows.length).toBeGreaterThan(3);
        const text = JSON.stringify(rows);
        for (const token of [ALICE.token, BOB.token]) expect(text).not.toContain(token);
      } finally {
        probe.disconnect();
      }
    } finally {
      offB();
      await c?.close({ keepSim: true });
      await a.close({ keepSim: true });
      await b.close();
    }
  });

  it('while Redis is away events append locally, and are published late when it returns', async () => {
    const sim = await startSimulator({ users: [ALICE, BOB] });
    const env = { SWITCHYARD_REDIS_URL: redis.url, SWITCHYARD_REDIS_PREFIX: `events${prefixes++}:`, SWITCHYARD_REDIS_RECONNECT_MAX_MS: '200' };
    const a = await startHarness({ sim, env });
    const b = await startHarness({ sim, env });
    let away = false;
    try {
      await until(async () => expect(remoteFrom(await b.engine.getEvents({ kind: 'started' }), a)).toHaveLength(1));
      away = true;
      await redis.stop();
      await until(() => expect(a.engine.snapshot().warnings.map((w) => w.code)).toContain('quota-store-offline'));
      await a.engine.reset({ account: 'GITHUB_TOKEN' });
      const local = await a.engine.getEvents({ kind: 'manual-reset' });
      expect(local).toEqual([expect.objectContaining({ account: 'GITHUB_TOKEN' })]);
      expect(remoteFrom(await b.engine.getEvents({ kind: 'manual-reset' }), a)).toEqual([]);

      await redis.start();
      away = false;
      await until(async () => expect(remoteFrom(await b.engine.getEvents({ kind: 'manual-reset' }), a)).toEqual([expect.objectContaining({ account: 'GITHUB_TOKEN', origin: { replica: startOf(a), id: local[0]!.id } })]));
    } finally {
      if (away) await redis.start();
      await a.close({ keepSim: true });
      await b.close();
    }
  });

  it('a restarted replica loads the history without repeating what its state file kept (its own, or heard)', async () => {
    const sim = await startSimulator({ users: [ALICE, BOB] });
    const env = { SWITCHYARD_REDIS_URL: redis.url, SWITCHYARD_REDIS_PREFIX: `events${prefixes++}:` };
    let a = await startHarness({ sim, env });
    let b = await startHarness({ sim, env });
    try {
      await a.engine.reset({ account: 'GITHUB_TOKEN' });
      await until(async () => expect(remoteFrom(await b.engine.getEvents({ kind: 'manual-reset' }), a)).toHaveLength(1));
      const firstA = startOf(a);
      await a.close({ keepSim: true, keepData: true });
      await b.close({ keepSim: true, keepData: true });
      a = await startHarness({ sim, env, dataDir: a.dataDir });
      b = await startHarness({ sim, env, dataDir: b.dataDir });
      const resetsOf = async (h: Harness) => (await h.engine.getEvents({ kind: 'manual-reset' })).map((e) => ({ origin: e.origin?.replica ?? null, startId: e.startId }));
      // a's own reset, from its state file, and not again as heard from its earlier start.
      expect(await resetsOf(a)).toEqual([{ origin: null, startId: firstA }]);
      // b heard it once before its restart: its state file keeps it, the history adds no second copy.
      expect(await resetsOf(b)).toEqual([{ origin: firstA, startId: expect.any(String) }]);
    } finally {
      await a.close({ keepSim: true });
      await b.close();
    }
  });

  it('with the in-memory store nothing is shared and no event is marked remote', async () => {
    const h = await startHarness();
    try {
      h.sim.control.exhaust('alice', MINI, 'UserByModelByDay');
      await ask(h);
      const events = await h.engine.getEvents();
      expect(events.map((e) => e.kind)).toContain('rotated');
      expect(events.filter((e) => 'origin' in e)).toEqual([]);
    } finally {
      await h.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator';
import { ALICE } from '../test-support/harness';
import { startRedisServer, type RedisServer } from '../test-support/redis-server';
import { askStatus, startReplicas } from './redis/test-support/serve-replicas';

/**
 * Three `switchyard serve` processes on one Redis in front of one simulator, one account: under
 * concurrent load through all three, upstream sees no more than the per-minute limit plus one
 * probe in the window (the reservation checks the limit and counts in one step on Redis).
 */

// gpt-4o-mini on a free plan: 15 requests a minute, 5 at once (the simulator enforces both).
const MODEL = 'gpt-4o-mini';
const PER_MINUTE = 15;

let redis: RedisServer;
let sim: Simulator;

beforeAll(async () => {
  [redis, sim] = await Promise.all([startRedisServer(), startSimulator({ users: [ALICE], latencyMs: 50 })]);
});
afterAll(async () => {
  await Promise.all([redis?.close(), sim?.close()]);
});

describe('serve replicas on one Redis: per-minute limits', () => {
  // Once skipped (issue 14: 15 served + 2 × UserByModelByMinute, about 1 run in 4 under load): a
  // probe answered 2xx let the next probe go while a send counted before it was still in flight;
  // upstream had given the probe that send's room, so the send met the window's 429 and the second
  // probe another. The scripted interleaving is in quota-store.contract.ts and redis-quota-store.replicas.test.ts.
  it('concurrent load over three replicas never sends upstream more than the per-minute limit plus one probe', async () => {
    // A store step slower than the command timeout falls back to local state (by design, tested in
    // redis-quota-store.metrics.test.ts); this test is about the shared count, so it gives Redis time.
    const replicas = await startReplicas(3, { SWITCHYARD_REDIS_URL: redis.url, SWITCHYARD_REDIS_PREFIX: 'limits:', SWITCHYARD_REDIS_COMMAND_TIMEOUT_MS: '10000', GITHUB_TOKEN: ALICE.token, GITHUB_MODELS_BASE_URL: sim.url, GITHUB_API_BASE_URL: sim.url });
    try {
      const statuses = await Promise.all(replicas.list.flatMap((r) => Array.from({ length: PER_MINUTE }, () => askStatus(r.client, MODEL))));
      const alice = sim.stats().perKey.filter((k) => k.login === 'alice');
      const upstream = alice.reduce((n, k) => n + k.requests, 0);
      // A probe, as in one process, does not wait for an in-flight slot: under a slow machine it
      // may meet upstream's concurrency limit instead (a 429 outside the minute window's count).
      const concurrency429 = alice.reduce((n, k) => n + (k.rateLimited.UserConcurrentRequests ?? 0), 0);
      const served = statuses.filter((s) => s === 200).length;
      expect(upstream).toBeGreaterThanOrEqual(PER_MINUTE);
      // What upstream saw, said when this fails: every key's statuses and limit types.
      const storeLines = replicas.list.flatMap((r) => r.process.stdout().split('\n').filter((line) => /quota-store|probe|cool|429|limit/i.test(line)).map((line) => line.slice(0, 400)));
      const seen = JSON.stringify({ upstream: alice.map((k) => ({ requests: k.requests, byStatus: k.byStatus, rateLimited: k.rateLimited })), storeLines });
      expect(upstream - concurrency429, seen).toBeLessThanOrEqual(PER_MINUTE + 1);
      expect(alice.reduce((n, k) => n + (k.rateLimited.UserByModelByMinute ?? 0), 0)).toBeLessThanOrEqual(1);
      // Every room upstream had was used, and the rest heard an honest 429.
      expect(served).toBe(PER_MINUTE);
      expect(statuses.filter((s) => s !== 200).every((s) => s === 429)).toBe(true);
      // The shared store decided every step (no replica fell back to serving alone).
      for (const r of replicas.list) expect(r.process.stdout()).not.toContain('quota-store-offline');
    } finally {
      await replicas.close();
    }
  }, 90_000);
});

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator';
import { ALICE, BOB } from '../test-support/harness';
import { startRedisServer, type RedisServer } from '../test-support/redis-server';
import { askAccount, chatLogins, healthWarnings, startReplicas } from './redis/test-support/serve-replicas';

/**
 * Two `switchyard serve` processes on one Redis that is stopped and started again (its data gone,
 * as after a restart without persistence): the replicas go on serving alone and say so in
 * /health, and what one learned meanwhile reaches the other once Redis is back.
 */

const MODEL = 'gpt-4o-mini';
let redis: RedisServer;
let sim: Simulator;

beforeAll(async () => {
  [redis, sim] = await Promise.all([startRedisServer(), startSimulator({ users: [ALICE, BOB] })]);
});
afterAll(async () => {
  await Promise.all([redis?.close(), sim?.close()]);
});

describe('serve replicas on one Redis: Redis away and back', () => {
  it('serves from local state while Redis is away, says so in /health, and merges what it learned on reconnect', async () => {
    const env = {
      SWITCHYARD_REDIS_URL: redis.url,
      SWITCHYARD_REDIS_PREFIX: 'outage:',
      SWITCHYARD_REDIS_RECONNECT_MAX_MS: '200',
      SWITCHYARD_REDIS_CONNECT_TIMEOUT_MS: '500',
      GITHUB_TOKEN: ALICE.token,
      GITHUB_TOKEN2: BOB.token,
      GITHUB_MODELS_BASE_URL: sim.url,
      GITHUB_API_BASE_URL: sim.url,
    };
    const replicas = await startReplicas(2, env);
    const [a, b] = replicas.list as [(typeof replicas.list)[0], (typeof replicas.list)[0]];
    const waitFor = (check: () => Promise<void>) => vi.waitFor(check, { timeout: 20_000, interval: 100 });
    try {
      for (const r of replicas.list) expect(await healthWarnings(r)).toEqual([]);

      await redis.stop();
      for (const r of replicas.list) await waitFor(async () => expect(await healthWarnings(r)).toContain('quota-store-offline'));
      // Still serving, from each replica's own state.
      expect(await askAccount(b.client, MODEL)).toBe('GITHUB_TOKEN');

      // Alone, replica a learns alice's daily block.
      sim.control.exhaust('alice', `openai/${MODEL}`, 'UserByModelByDay');
      expect(await askAccount(a.client, MODEL)).toBe('GITHUB_TOKEN2');

      await redis.start();
      for (const r of replicas.list) await waitFor(async () => expect(await healthWarnings(r)).toEqual([]));
      // a merged its block into the (empty) Redis: b, which never heard alice's 429, skips her.
      sim.control.resetStats();
      expect(await askAccount(b.client, MODEL)).toBe('GITHUB_TOKEN2');
      expect(chatLogins(sim)).toEqual(['bob']);
      expect(a.process.stdout()).toContain('quota-store-offline');
    } finally {
      await replicas.close();
    }
  }, 90_000);
});

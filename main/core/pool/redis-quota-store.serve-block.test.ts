import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator';
import { ALICE, BOB } from '../test-support/harness';
import { startRedisServer, type RedisServer } from '../test-support/redis-server';
import { askAccount, chatLogins, startReplicas } from './redis/test-support/serve-replicas';

/**
 * Two `switchyard serve` processes on one Redis, two accounts (alice, bob): a daily block one
 * replica learned from upstream costs the other no request.
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

describe('serve replicas on one Redis: blocks', () => {
  it('a daily block learned on one replica sends no request upstream from another', async () => {
    const env = { SWITCHYARD_REDIS_URL: redis.url, SWITCHYARD_REDIS_PREFIX: 'block:', GITHUB_TOKEN: ALICE.token, GITHUB_TOKEN2: BOB.token, GITHUB_MODELS_BASE_URL: sim.url, GITHUB_API_BASE_URL: sim.url };
    const replicas = await startReplicas(2, env);
    const [a, b] = replicas.list as [(typeof replicas.list)[0], (typeof replicas.list)[0]];
    try {
      sim.control.exhaust('alice', `openai/${MODEL}`, 'UserByModelByDay');
      sim.control.resetStats();
      // Replica a hears alice's 429 and serves from bob.
      expect(await askAccount(a.client, MODEL)).toBe('GITHUB_TOKEN2');
      expect(chatLogins(sim)).toEqual(['alice', 'bob']);

      // Replica b never asked for alice, yet knows her block: straight to bob, every time.
      sim.control.resetStats();
      for (let i = 0; i < 3; i++) expect(await askAccount(b.client, MODEL)).toBe('GITHUB_TOKEN2');
      expect(chatLogins(sim)).toEqual(['bob', 'bob', 'bob']);
      for (const r of replicas.list) expect(r.process.stdout() + r.process.stderr()).not.toContain(ALICE.token);
    } finally {
      await replicas.close();
    }
  }, 90_000);
});

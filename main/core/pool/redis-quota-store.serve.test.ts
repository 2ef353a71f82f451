import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { spawnCli } from '../../cli/test-support/spawn-cli';
import { startSimulator, type Simulator } from '../../simulator';
import { ALICE } from '../test-support/harness';
import { startRedisServer, type RedisServer } from '../test-support/redis-server';
import { RedisQuotaStore } from './redis-quota-store';

/**
 * `switchyard serve` replicas as their own processes on one Redis: a replica killed with
 * SIGKILL while it holds in-flight slots stops holding them once its leases lapse.
 */

let redis: RedisServer;
let sim: Simulator;
let dataDir: string;
const LEASE_TTL_MS = 1_000;

beforeAll(async () => {
  [redis, sim, dataDir] = await Promise.all([startRedisServer(), startSimulator({ users: [ALICE], stream: { chunks: 200, chunkDelayMs: 100 } }), mkdtemp(join(tmpdir(), 'switchyard-replica-'))]);
});
afterAll(async () => {
  await Promise.all([redis?.close(), sim?.close()]);
  await rm(dataDir, { recursive: true, force: true });
});

const inFlight = (store: RedisQuotaStore) => store.owners(Date.now()).reduce((n, o) => n + o.inFlight, 0);

describe('serve replicas on one Redis', () => {
  it('a replica killed with kill -9 while streaming frees its in-flight slots once its unrenewed leases lapse', async () => {
    const env = { SWITCHYARD_REDIS_URL: redis.url, SWITCHYARD_REDIS_PREFIX: 'serve:', SWITCHYARD_REDIS_LEASE_TTL_MS: String(LEASE_TTL_MS), GITHUB_TOKEN: ALICE.token, GITHUB_MODELS_BASE_URL: sim.url, GITHUB_API_BASE_URL: sim.url };
    const replica = spawnCli(['serve', '--port', '0'], { ...env, SWITCHYARD_DATA_DIR: join(dataDir, 'a') });
    const observer = new RedisQuotaStore({ url: redis.url, keyPrefix: 'serve:' });
    try {
      const proxy = await replica.line('Proxy:');
      expect(await observer.ready()).toBe(true);
      const body = JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'x' }], max_tokens: 100 });
      const streams = await Promise.all([1, 2].map(() => fetch(`${proxy}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })));
      const readers = streams.map((r) => r.body!.getReader());
      for (const reader of readers) expect((await reader.read()).done).toBe(false);
      await observer.refresh();
      expect(inFlight(observer)).toBe(2);

      replica.child.kill('SIGKILL');
      await replica.exit;
      for (const reader of readers) await reader.cancel().catch(() => undefined);
      // Nobody renews the dead replica's leases: they lapse (waited for, not timed).
      await vi.waitFor(async () => {
        await observer.refresh();
        expect(inFlight(observer)).toBe(0);
      }, { timeout: 20 * LEASE_TTL_MS, interval: 100 });
      expect(replica.stdout() + replica.stderr()).not.toContain(ALICE.token);
    } finally {
      replica.child.kill('SIGKILL');
      await observer.close();
    }
  });
});

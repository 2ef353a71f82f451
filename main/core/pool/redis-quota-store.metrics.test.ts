import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../test-support/redis-server';
import type { QuotaOwner } from './quota-store';
import { RedisQuotaStore } from './redis-quota-store';

/** The store's metrics on /metrics: latency by operation, failures by operation, and reachability. */

const alice: QuotaOwner = { provider: 'github', id: 'alice' };
const M = 'openai/gpt-4o-mini';
const T0 = 1_800_000_000_000;
let redis: RedisServer;

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.close();
});

const metric = async (registry: Registry, name: string) => registry.getSingleMetricAsString(name);

describe('RedisQuotaStore metrics', () => {
  it('a step slower than the command timeout counts as an error of its operation, is served locally, and the store comes back', async () => {
    const registry = new Registry();
    const store = new RedisQuotaStore({ url: redis.url, keyPrefix: 'metrics:', registry, commandTimeoutMs: 100, reconnectMinMs: 20, reconnectMaxMs: 100, mirrorMaxAgeMs: 3_600_000 });
    const admin = new Redis(redis.url);
    try {
      expect(await store.ready()).toBe(true);
      expect((await store.reserve({ owner: alice, model: M, account: 'K1', now: T0, limits: null })).ok).toBe(true);
      expect(await metric(registry, 'switchyard_quota_store_seconds')).toMatch(/switchyard_quota_store_seconds_count\{op="reserve"\} 1/);
      expect(await metric(registry, 'switchyard_quota_store_errors_total')).not.toContain('op="reserve"');

      // Redis stops answering for longer than the command timeout (it stays connected).
      await admin.call('CLIENT', 'PAUSE', '1500', 'ALL');
      const slow = await store.reserve({ owner: alice, model: M, account: 'K1', now: T0 + 1, limits: null });
      expect(slow.ok).toBe(true);
      expect(await metric(registry, 'switchyard_quota_store_errors_total')).toMatch(/switchyard_quota_store_errors_total\{op="reserve"\} 1/);
      expect(store.warnings().map((w) => w.code)).toEqual(['quota-store-offline']);
      expect(await metric(registry, 'switchyard_quota_store_online')).toContain('switchyard_quota_store_online 0');
      // The lease taken alone is in the local copy meanwhile.
      expect(store.usage(alice, T0 + 1)?.inFlight).toBe(2);

      await admin.call('CLIENT', 'UNPAUSE');
      await new Promise<void>((resolve) => {
        if (store.warnings().length === 0) return resolve();
        const off = store.onHealth((w) => w.length === 0 && (off(), resolve()));
      });
      expect(await metric(registry, 'switchyard_quota_store_online')).toContain('switchyard_quota_store_online 1');
    } finally {
      admin.disconnect();
      await store.close();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { createQuotaStore, redisOptionsFrom } from './create-quota-store';
import { MemoryQuotaStore } from './memory-quota-store';
import { RedisQuotaStore } from './redis-quota-store';

describe('createQuotaStore', () => {
  it('uses the in-memory store without a Redis URL', async () => {
    const selected = await createQuotaStore({ env: {} });
    expect(selected.kind).toBe('memory');
    expect(selected.store).toBeInstanceOf(MemoryQuotaStore);
    expect(selected.warnings()).toEqual([]);
    await selected.close();
  });

  it('SWITCHYARD_REDIS_URL selects the Redis store, which warns while Redis is unreachable', async () => {
    // Port 1 refuses at once: the store serves locally and says so.
    const selected = await createQuotaStore({ env: { SWITCHYARD_REDIS_URL: 'redis://:s3cret@127.0.0.1:1/0' } });
    expect(selected.kind).toBe('redis');
    expect(selected.store).toBeInstanceOf(RedisQuotaStore);
    const [warning] = selected.warnings();
    expect(warning?.code).toBe('quota-store-offline');
    expect(warning?.message).toContain('127.0.0.1:1');
    expect(warning?.message).not.toContain('s3cret');
    const reserved = await selected.store.reserve({ owner: { provider: 'github', id: 'alice' }, model: 'm', account: 'K', now: 0, limits: null });
    expect(reserved.ok).toBe(true);
    await selected.close();
  });

  it('reads redis_url and the redis: tuning from the config file; the environment wins', () => {
    const config = { redis_url: 'redis://file:6379', redis: { key_prefix: 'team:', cache_ms: 100, lease_ttl_ms: 5_000 } };
    expect(redisOptionsFrom({ env: {}, config })).toMatchObject({ url: 'redis://file:6379', keyPrefix: 'team:', mirrorMaxAgeMs: 100, leaseTtlMs: 5_000 });
    expect(redisOptionsFrom({ env: { SWITCHYARD_REDIS_URL: 'rediss://env:6380', SWITCHYARD_REDIS_CACHE_MS: '50' }, config })).toMatchObject({ url: 'rediss://env:6380', keyPrefix: 'team:', mirrorMaxAgeMs: 50 });
    expect(redisOptionsFrom({ env: {}, config: { accounts: [] } })).toBeNull();
  });

  it('refuses bad settings with a message naming the setting, never the URL', () => {
    expect(() => redisOptionsFrom({ env: { SWITCHYARD_REDIS_URL: 'http://user:pw@host' } })).toThrow(/^Bad Redis setting: SWITCHYARD_REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL\.$/);
    expect(() => redisOptionsFrom({ env: { SWITCHYARD_REDIS_URL: 'redis://h', SWITCHYARD_REDIS_CACHE_MS: 'soon' } })).toThrow(/SWITCHYARD_REDIS_CACHE_MS/);
    expect(() => redisOptionsFrom({ env: {}, config: { redis_url: 'redis://h', redis: { cache_ms: 5 } } })).toThrow(/config file: redis\.cache_ms/);
    expect(() => redisOptionsFrom({ env: {}, config: { redis_url: 'redis://h', redis: { typo: 1 } } })).toThrow(/config file/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../shared/snapshot';
import { startHarness } from '../test-support/harness';
import { startRedisServer, type RedisServer } from '../test-support/redis-server';

/**
 * The dashboard and the tray hear of Redis going away (and coming back) from the pushed
 * snapshot, whose `warnings` the banner states — without any request or other change to push it.
 */

let redis: RedisServer;

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.close();
});

const pushed = (h: Awaited<ReturnType<typeof startHarness>>, check: (s: Snapshot) => boolean) =>
  new Promise<Snapshot>((resolve) => {
    const off = h.engine.onSnapshot((s) => {
      if (!check(s)) return;
      off();
      resolve(s);
    });
  });

const offline = (s: Snapshot) => s.warnings.some((w) => w.code === 'quota-store-offline');

describe('the Redis-away warning reaches views', () => {
  it('a snapshot with the warning is pushed when Redis goes away, and one without it when Redis is back', async () => {
    const h = await startHarness({ env: { SWITCHYARD_REDIS_URL: redis.url, SWITCHYARD_REDIS_PREFIX: 'dash:', SWITCHYARD_REDIS_RECONNECT_MAX_MS: '100' } });
    try {
      expect(offline(h.engine.snapshot())).toBe(false);
      const away = pushed(h, offline);
      await redis.stop();
      const warned = await away;
      expect(warned.warnings.find((w) => w.code === 'quota-store-offline')?.message).toContain('serves from its own state');

      const back = pushed(h, (s) => !offline(s));
      await redis.start();
      expect((await back).warnings).toEqual([]);
    } finally {
      await h.close();
    }
  });
});

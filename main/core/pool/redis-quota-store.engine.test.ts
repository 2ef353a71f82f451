import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator';
import { closedPort } from '../../cli/test-support/spawn-cli';
import { startHarness, ALICE, BOB, type Harness } from '../test-support/harness';
import { startRedisServer, type RedisServer } from '../test-support/redis-server';

/**
 * Two engines ("replicas") on one Redis in front of one simulator, over real sockets with the
 * official SDK: what one replica learns from upstream, the other does not learn again.
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

const ask = (h: Harness) => h.client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }).withResponse();

describe('replicas sharing quota state through Redis', () => {
  it('a daily block learned on one replica sends no request upstream from another', async () => {
    const sim = await startSimulator({ users: [ALICE, BOB] });
    const env = { SWITCHYARD_REDIS_URL: redis.url, SWITCHYARD_REDIS_PREFIX: `engine${prefixes++}:` };
    const a = await startHarness({ sim, env });
    const b = await startHarness({ sim, env });
    try {
      sim.control.exhaust('alice', MINI, 'UserByModelByDay');
      // Replica a hears the 429 for alice and serves from bob.
      const first = await ask(a);
      expect(first.response.headers.get('x-switchyard-account')).toBe('GITHUB_TOKEN2');
      expect(sim.stats().recent.filter((r) => r.endpoint === 'chat').map((r) => r.login)).toEqual(['alice', 'bob']);

      // Replica b never sent a request for alice, yet knows her block and goes to bob at once.
      sim.control.resetStats();
      const second = await ask(b);
      expect(second.response.headers.get('x-switchyard-account')).toBe('GITHUB_TOKEN2');
      expect(sim.stats().recent.filter((r) => r.endpoint === 'chat').map((r) => r.login)).toEqual(['bob']);
      const blocked = b.engine.snapshot().accounts.find((acc) => acc.key === 'GITHUB_TOKEN')!;
      expect(blocked.blocks).toEqual([expect.objectContaining({ model: MINI, limitType: 'UserByModelByDay' })]);
    } finally {
      await a.close({ keepSim: true });
      await b.close();
    }
  });

  it('a replica whose Redis is unreachable at start serves from its own state and logs why', async () => {
    const env = { SWITCHYARD_REDIS_URL: `redis://127.0.0.1:${await closedPort()}`, SWITCHYARD_REDIS_CONNECT_TIMEOUT_MS: '200' };
    const h = await startHarness({ env });
    try {
      const { data } = await ask(h);
      expect(data.choices[0]?.message.content).toBeTruthy();
      const warned = h.logs.map((line) => JSON.parse(line) as { tag?: string; code?: string; msg?: string }).filter((l) => l.tag === 'quota-store');
      expect(warned[0]).toMatchObject({ code: 'quota-store-offline', msg: expect.stringContaining('serves from its own state') });
      // /health and the snapshot (the dashboard, the tray) say it too, and keep serving: status ok.
      const health = (await (await fetch(`${h.origin}/health`)).json()) as { status: string; warnings: { code: string }[] };
      expect(health.status).toBe('ok');
      expect(health.warnings.map((w) => w.code)).toContain('quota-store-offline');
      expect(h.engine.snapshot().warnings.map((w) => w.code)).toContain('quota-store-offline');
    } finally {
      await h.close();
    }
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Redis } from 'ioredis';
import { createEngine } from '../engine';
import type { SecretStore } from '../state/types';
import { startRedisServer, type RedisServer } from '../test-support/redis-server';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.close();
});

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tempDir() {
  const dir = await mkdtemp(join(tmpdir(), 'switchyard-boot-'));
  dirs.push(dir);
  return dir;
}

const env = { PORT: '0', HOST: '127.0.0.1', SWITCHYARD_CONFIG: undefined };

describe('the engine: built by createEngine, listening from start()', () => {
  it('resolves fully built: the admin API, the admin key and the snapshot work before it listens; start() listens once', async () => {
    const engine = await createEngine({ dataDir: await tempDir(), env, startId: 'feed0001' });
    expect(engine.startId).toBe('feed0001');
    expect(engine.adminKey).toMatch(/\S{16,}/);
    await expect(engine.listAccounts()).resolves.toEqual([]);
    expect(engine.snapshot()).toMatchObject({ startId: 'feed0001', accounts: [], proxy: { status: 'stopped' } });
    await engine.start();
    const { proxy } = engine.snapshot();
    expect(proxy.status).toBe('running');
    const health = await fetch(`http://127.0.0.1:${proxy.port}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', startId: 'feed0001' });
    // Idempotent: a second start() neither listens again nor fails.
    await engine.start();
    expect(engine.snapshot().proxy).toMatchObject({ status: 'running', port: proxy.port, error: null });
    await engine.shutdown();
  });

  it('a proxy the admin API started before start() is not listened for twice; one it stopped stays stopped', async () => {
    const early = await createEngine({ dataDir: await tempDir(), env });
    await early.startProxy();
    const port = early.snapshot().proxy.port;
    await early.start();
    expect(early.snapshot().proxy).toMatchObject({ status: 'running', port, error: null });
    await early.shutdown();

    const stopped = await createEngine({ dataDir: await tempDir(), env });
    await stopped.stopProxy();
    await stopped.start();
    expect(stopped.snapshot().proxy.status).toBe('stopped');
    await stopped.shutdown();
  });

  it('a build that fails part-way rejects with the cause and closes what it had built', async () => {
    const broken: SecretStore = {
      load: () => Promise.reject(new Error('keychain locked')),
      save: () => Promise.resolve(),
      describe: () => 'broken',
    };
    // With the shared store: its Redis connections are what a failed build would leak.
    const watcher = new Redis(redis.url);
    const clients = async () => Number(/connected_clients:(\d+)/.exec(await watcher.info('clients'))?.[1]);
    expect(await clients()).toBe(1);
    await expect(createEngine({ dataDir: await tempDir(), env: { ...env, SWITCHYARD_REDIS_URL: redis.url }, secretStore: broken })).rejects.toThrow('keychain locked');
    await vi.waitFor(async () => expect(await clients()).toBe(1), { timeout: 5_000 });
    watcher.disconnect();
  });

  it('a config file\'s redis_url selects the shared quota store (the environment need not name it)', async () => {
    const watcher = new Redis(redis.url);
    const clients = async () => Number(/connected_clients:(\d+)/.exec(await watcher.info('clients'))?.[1]);
    const engine = await createEngine({ dataDir: await tempDir(), env, config: { file: 'sy.yaml', accounts: [], routes: {}, warnings: [], quotaStore: { redis_url: redis.url, redis: { key_prefix: 'boot-test:' } } } });
    await engine.start();
    // The store's command and subscriber connections, beside the watcher's own.
    expect(await clients()).toBeGreaterThan(1);
    await engine.shutdown();
    await vi.waitFor(async () => expect(await clients()).toBe(1), { timeout: 5_000 });
    watcher.disconnect();
  });
});

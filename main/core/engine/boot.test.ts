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

describe('the engine before and around its start', () => {
  it('answers admin calls with a 503 "starting" until start() resolves, and shows a snapshot meanwhile', async () => {
    const engine = createEngine({ dataDir: await tempDir(), env });
    await expect(engine.listAccounts()).rejects.toMatchObject({ status: 503, code: 'starting' });
    await expect(engine.addAccount({ token: 'x' })).rejects.toMatchObject({ status: 503, code: 'starting' });
    await expect(engine.stopProxy()).rejects.toMatchObject({ status: 503, code: 'starting' });
    expect(engine.snapshot().accounts).toEqual([]);
    expect(() => engine.adminKey).toThrow(/not started/);
    await engine.start();
    await expect(engine.listAccounts()).resolves.toEqual([]);
    expect(engine.adminKey).toMatch(/\S{16,}/);
    await engine.shutdown();
  });

  it('a start that fails part-way rejects with the cause, closes what it built, and shuts down without hanging', async () => {
    const broken: SecretStore = {
      load: () => Promise.reject(new Error('keychain locked')),
      save: () => Promise.resolve(),
      describe: () => 'broken',
    };
    // With the shared store: its Redis connections are what a failed start would leak.
    const engine = createEngine({ dataDir: await tempDir(), env: { ...env, SWITCHYARD_REDIS_URL: redis.url }, secretStore: broken });
    const watcher = new Redis(redis.url);
    const clients = async () => Number(/connected_clients:(\d+)/.exec(await watcher.info('clients'))?.[1]);
    expect(await clients()).toBe(1);
    await expect(engine.start()).rejects.toThrow('keychain locked');
    await vi.waitFor(async () => expect(await clients()).toBe(1), { timeout: 5_000 });
    watcher.disconnect();
    await expect(engine.listAccounts()).rejects.toMatchObject({ code: 'starting' });
    await expect(engine.shutdown()).resolves.toBeUndefined();
  });

  it('a config file\'s redis_url selects the shared quota store (the environment need not name it)', async () => {
    const watcher = new Redis(redis.url);
    const clients = async () => Number(/connected_clients:(\d+)/.exec(await watcher.info('clients'))?.[1]);
    const engine = createEngine({ dataDir: await tempDir(), env, config: { file: 'sy.yaml', accounts: [], routes: {}, warnings: [], quotaStore: { redis_url: redis.url, redis: { key_prefix: 'boot-test:' } } } });
    await engine.start();
    // The store's command and subscriber connections, beside the watcher's own.
    expect(await clients()).toBeGreaterThan(1);
    await engine.shutdown();
    await vi.waitFor(async () => expect(await clients()).toBe(1), { timeout: 5_000 });
    watcher.disconnect();
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { REDIS_SERVER_BIN, startRedisServer } from '../../main/core/test-support/redis-server';
import { BENCH_SETTINGS, type BenchRig } from './bench-setup';
import { openLoop, makeTarget, type Sample, type Target } from './load';
import { startServeChild } from './serve-child';
import { round3, roundSummary, summarize, type Summary } from './stats';

/**
 * The Redis store's cost on a request: the same `switchyard serve` twice, one with the in-memory
 * quota store and one with SWITCHYARD_REDIS_URL on a local redis-server (started here), the same
 * open-loop load to the direct path and both, in alternating blocks (the first round warms up).
 * The figure is a ratio within one run: the latency the Redis store's proxy adds over direct,
 * divided by what the in-memory one adds (1.0 = no cost).
 */

export interface RedisPhasePath {
  latency: Summary;
  /** Percentile minus direct's, ms. */
  addedP50: number;
  addedP99: number;
  errors: number;
}

export interface RedisPhaseResult {
  rate: number;
  direct: RedisPhasePath;
  memory: RedisPhasePath;
  redis: RedisPhasePath;
  /** redis.added / memory.added (null when the in-memory store adds nothing measurable). */
  ratioP50: number | null;
  ratioP99: number | null;
}

export interface RedisPhaseOptions {
  rate?: number;
  blockMs?: number;
  rounds?: number;
}

const drain = () => new Promise((resolve) => setTimeout(resolve, 200));

/** Null when this machine has no redis-server (REDIS_SERVER_BIN). */
export async function redisPhase(rig: BenchRig, body: string, options: RedisPhaseOptions = {}): Promise<RedisPhaseResult | null> {
  if (!existsSync(REDIS_SERVER_BIN)) return null;
  const rate = options.rate ?? 100;
  const blockMs = options.blockMs ?? 2_000;
  const rounds = options.rounds ?? 4;
  const redis = await startRedisServer();
  const dirs = await Promise.all([0, 1].map(() => mkdtemp(join(tmpdir(), 'switchyard-bench-redis-'))));
  for (const dir of dirs) await writeFile(join(dir, 'settings.json'), JSON.stringify(BENCH_SETTINGS));
  const memoryServer = await startServeChild({ dataDir: dirs[0]!, env: rig.env });
  const redisServer = await startServeChild({ dataDir: dirs[1]!, env: { ...rig.env, SWITCHYARD_REDIS_URL: redis.url, SWITCHYARD_REDIS_PREFIX: 'bench:' } });
  const paths: Array<[keyof Pick<RedisPhaseResult, 'direct' | 'memory' | 'redis'>, Target]> = [
    ['direct', rig.direct],
    ['memory', makeTarget('proxy', memoryServer.origin, '/v1/chat/completions', {})],
    ['redis', makeTarget('proxy', redisServer.origin, '/v1/chat/completions', {})],
  ];
  const kept: Record<string, Sample[]> = { direct: [], memory: [], redis: [] };
  try {
    for (let round = 0; round <= rounds; round++) {
      for (const [name, target] of paths) {
        const samples = await openLoop(target, rate, blockMs, () => ({ body }));
        if (round > 0) kept[name]!.push(...samples);
        await drain();
      }
    }
  } finally {
    await Promise.all(paths.slice(1).map(([, t]) => t.pool.close()));
    await Promise.all([memoryServer.stop(), redisServer.stop()]);
    await redis.close();
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  }
  const summary = (name: string) => {
    const ok = kept[name]!.filter((s) => s.status === 200);
    return { s: summarize(ok.map((s) => s.latencyMs)), errors: kept[name]!.length - ok.length };
  };
  const direct = summary('direct');
  const path = (name: string): RedisPhasePath => {
    const { s, errors } = summary(name);
    return { latency: roundSummary(s), addedP50: round3(s.p50 - direct.s.p50), addedP99: round3(s.p99 - direct.s.p99), errors };
  };
  const memory = path('memory');
  const redisPath = path('redis');
  const ratio = (a: number, b: number) => (b > 0 ? round3(a / b) : null);
  return { rate, direct: path('direct'), memory, redis: redisPath, ratioP50: ratio(redisPath.addedP50, memory.addedP50), ratioP99: ratio(redisPath.addedP99, memory.addedP99) };
}

/** One line for the bench's output. */
export function describeRedisPhase(r: RedisPhaseResult | null): string {
  if (!r) return `Redis quota store: not measured (no ${REDIS_SERVER_BIN}; set REDIS_SERVER_BIN)`;
  const ms = (x: number) => `${x.toFixed(3)} ms`;
  return `Redis quota store at ${r.rate} req/s: added p50 ${ms(r.redis.addedP50)} vs in-memory ${ms(r.memory.addedP50)} (ratio ${r.ratioP50 ?? 'n/a'}), p99 ${ms(r.redis.addedP99)} vs ${ms(r.memory.addedP99)} (ratio ${r.ratioP99 ?? 'n/a'}); non-200: redis ${r.redis.errors}, memory ${r.memory.errors}`;
}

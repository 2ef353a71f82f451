import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SimulatorOptions } from '../../main/simulator';
import { makeTarget, type Target } from './load';
import { startServeChild, type ServeChild } from './serve-child';
import { startSimChild, type SimChild } from './sim-child';

export const BENCH_TOKEN = 'ghp_benchTOKEN000000000000000000000000001Bn';
export const MODEL = 'openai/gpt-4o-mini';

/** Upstream in fast mode: no latency, no chunk delay, quotas no bench can reach. */
export const FAST_SIMULATOR: SimulatorOptions = {
  users: [{ token: BENCH_TOKEN, login: 'bench', plan: 'free' }],
  latencyMs: 0,
  stream: { chunks: 5, chunkDelayMs: 0 },
  limits: { perMinute: 1e9, perDay: 1e9, concurrent: 1e6 },
};

/**
 * Settings for the benched server. maxWaitMs 0: Switchyard's forecast knows GitHub's real limits
 * (15 requests a minute for this model on a free plan) and would otherwise pace a bench sending
 * hundreds a second — deliberate waiting, not the proxy's overhead.
 */
export const BENCH_SETTINGS = { maxWaitMs: 0 };

export interface BenchRig {
  sim: SimChild;
  dataDir: string;
  env: Record<string, string>;
  direct: Target;
  chatBody: (stream: boolean) => string;
  close(): Promise<void>;
}

export async function startRig(): Promise<BenchRig> {
  const sim = await startSimChild(FAST_SIMULATOR);
  const dataDir = await mkdtemp(join(tmpdir(), 'switchyard-bench-'));
  await writeFile(join(dataDir, 'settings.json'), JSON.stringify(BENCH_SETTINGS));
  const env = { GITHUB_TOKEN: BENCH_TOKEN, GITHUB_MODELS_BASE_URL: sim.url, GITHUB_API_BASE_URL: sim.url };
  const direct = makeTarget('direct', sim.url, '/inference/chat/completions', { authorization: `Bearer ${BENCH_TOKEN}` });
  return {
    sim,
    dataDir,
    env,
    direct,
    chatBody: (stream) => JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'Say hello.' }], ...(stream ? { stream: true } : {}) }),
    async close() {
      await direct.pool.close();
      await sim.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function startServer(rig: BenchRig, nodeArgs: string[] = []): Promise<{ server: ServeChild; proxy: Target }> {
  const server = await startServeChild({ dataDir: rig.dataDir, env: rig.env, nodeArgs });
  return { server, proxy: makeTarget('proxy', server.origin, '/v1/chat/completions', {}) };
}

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulatorBaseUrlEnv, type SimulatorOptions } from '../../main/simulator';
import type { ProviderLimits } from '../../main/simulator/providers/types';
import { makeTarget, type Target } from './load';
import { startServeChild, type ServeChild } from './serve-child';
import { startSimChild, type SimChild } from './sim-child';

/**
 * The provider the benched requests go to, chosen with `--upstream groq|github` (default groq):
 * Groq's OpenAI dialect is the path a person's requests take today; GitHub Models (retired on
 * 2026-07-30; the simulator still serves it unless told otherwise) is the path the earlier
 * figures were measured on, kept for comparison with them.
 */
export type BenchUpstream = 'groq' | 'github';

export function benchUpstream(argv: readonly string[] = process.argv): BenchUpstream {
  const at = argv.indexOf('--upstream');
  const value = at >= 0 ? argv[at + 1] : 'groq';
  if (value !== 'groq' && value !== 'github') throw new Error(`--upstream ${value ?? ''}: give groq or github`);
  return value;
}

interface UpstreamSetup {
  token: string;
  /** The model as the client names it, and as the direct path and the minimal proxy send it upstream. */
  model: string;
  /** The chat path on the simulator, and the env that points Switchyard at it. */
  chatPath: string;
  env: (simUrl: string) => Record<string, string>;
  simulator: SimulatorOptions;
}

const NO_LIMITS: ProviderLimits = { rps: null, rpm: null, rpd: null, tpm: null, tpd: null, tokensPerMonth: null, neuronsPerDay: null };
const FAST = { latencyMs: 0, stream: { chunks: 5, chunkDelayMs: 0 } } as const;
const GROQ_TOKEN = 'gsk_benchKEY00000000000000000000000000000000000001Bn';
const GITHUB_TOKEN = 'ghp_benchTOKEN000000000000000000000000001Bn';

/** Upstream in fast mode: no latency, no chunk delay, quotas no bench can reach. */
export const UPSTREAMS: Record<BenchUpstream, UpstreamSetup> = {
  groq: {
    token: GROQ_TOKEN,
    model: 'llama-3.3-70b-versatile',
    chatPath: '/groq/openai/v1/chat/completions',
    env: (simUrl) => ({ ...simulatorBaseUrlEnv(simUrl), GROQ_API_KEY: GROQ_TOKEN }),
    simulator: { users: [], ...FAST, keys: [{ provider: 'groq', key: GROQ_TOKEN, owner: 'org_bench' }], providers: { groq: { limits: NO_LIMITS } } },
  },
  github: {
    token: GITHUB_TOKEN,
    model: 'openai/gpt-4o-mini',
    chatPath: '/inference/chat/completions',
    env: (simUrl) => ({ GITHUB_TOKEN, GITHUB_MODELS_BASE_URL: simUrl, GITHUB_API_BASE_URL: simUrl }),
    simulator: { users: [{ token: GITHUB_TOKEN, login: 'bench', plan: 'free' }], ...FAST, limits: { perMinute: 1e9, perDay: 1e9, concurrent: 1e6 } },
  },
};

/**
 * Settings for the benched server. maxWaitMs 0: Switchyard's forecast knows GitHub's real limits
 * (15 requests a minute for this model on a free plan) and would otherwise pace a bench sending
 * hundreds a second — deliberate waiting, not the proxy's overhead.
 */
export const BENCH_SETTINGS = { maxWaitMs: 0 };

export interface BenchRig {
  upstream: BenchUpstream;
  /** The upstream key (the direct path and the minimal proxy send it). */
  token: string;
  /** The simulator's chat path (the direct path and the minimal proxy post to it). */
  chatPath: string;
  sim: SimChild;
  dataDir: string;
  env: Record<string, string>;
  direct: Target;
  chatBody: (stream: boolean) => string;
  close(): Promise<void>;
}

export async function startRig(upstream: BenchUpstream = benchUpstream()): Promise<BenchRig> {
  const setup = UPSTREAMS[upstream];
  const sim = await startSimChild(setup.simulator);
  const dataDir = await mkdtemp(join(tmpdir(), 'switchyard-bench-'));
  await writeFile(join(dataDir, 'settings.json'), JSON.stringify(BENCH_SETTINGS));
  const env = setup.env(sim.url);
  const direct = makeTarget('direct', sim.url, setup.chatPath, { authorization: `Bearer ${setup.token}` });
  return {
    upstream,
    token: setup.token,
    chatPath: setup.chatPath,
    sim,
    dataDir,
    env,
    direct,
    chatBody: (stream) => JSON.stringify({ model: setup.model, messages: [{ role: 'user', content: 'Say hello.' }], ...(stream ? { stream: true } : {}) }),
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

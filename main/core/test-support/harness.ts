import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { settingsSchema, type SettingsInput } from '../../../shared/settings';
import { createEngine } from '../engine';
import type { Engine } from '../engine-types';
import { createLogger } from '../log';
import { startSimulator, type Simulator } from '../../simulator';
import type { SimUser, SimulatorOptions } from '../../simulator/options';

export interface HarnessOptions {
  users?: SimUser[];
  simulator?: Omit<SimulatorOptions, 'users'>;
  /** Extra environment (PORT/HOST are set by the harness). */
  env?: Record<string, string>;
  /** Reuse a data folder (restart tests). */
  dataDir?: string;
  /** Reuse a running simulator. */
  sim?: Simulator;
  /** Settings saved in the data folder before start (as if set earlier in Settings). */
  settings?: SettingsInput;
}

export interface Harness {
  sim: Simulator;
  engine: Engine;
  dataDir: string;
  /** http://127.0.0.1:<port> */
  origin: string;
  client: OpenAI;
  /** Every log line the engine wrote (JSON). */
  logs: string[];
  close(options?: { keepData?: boolean; keepSim?: boolean }): Promise<void>;
}

export const ALICE: SimUser = { token: 'ghp_aliceTOKEN0000000000000000000000001Xq', login: 'alice' };
export const BOB: SimUser = { token: 'gho_bobTOKEN00000000000000000000000000024d9U', login: 'bob' };

/** The real engine on an ephemeral port in front of the real simulator, with the official SDK as client. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const users = options.users ?? [ALICE, BOB];
  const sim = options.sim ?? (await startSimulator({ users, ...options.simulator }));
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'switchyard-test-')));
  if (options.settings) await writeFile(join(dataDir, 'settings.json'), JSON.stringify(settingsSchema.parse(options.settings)));
  const tokens: Record<string, string> = {};
  users.forEach((u, i) => (tokens[i === 0 ? 'GITHUB_TOKEN' : `GITHUB_TOKEN${i + 1}`] = u.token));
  const logs: string[] = [];
  const logger = createLogger({ startId: 'test', level: 'debug', destination: { write: (line: string) => void logs.push(line) } });
  const engine = await createEngine({
    dataDir,
    env: { ...tokens, GITHUB_MODELS_BASE_URL: sim.url, GITHUB_API_BASE_URL: sim.url, ...options.env },
    overrides: { host: '127.0.0.1', port: 0 },
    logger,
  });
  await engine.start();
  const { proxy } = engine.snapshot();
  if (proxy.status !== 'running') throw new Error(`proxy did not start: ${proxy.error}`);
  const origin = `http://127.0.0.1:${proxy.port}`;
  const client = new OpenAI({ baseURL: `${origin}/v1`, apiKey: options.env?.SWITCHYARD_API_KEY ?? 'unused', maxRetries: 0, timeout: 20_000 });
  return {
    sim,
    engine,
    dataDir,
    origin,
    client,
    logs,
    async close({ keepData = false, keepSim = false } = {}) {
      await engine.shutdown();
      if (!keepSim) await sim.close();
      if (!keepData) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

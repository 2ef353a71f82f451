import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RouteTarget, SwitchyardConfig } from '../core/config/config-file';
import { allProviders } from '../core/providers/index';
import type { ProviderId } from '../core/providers/types';
import { demoPool, demoPoolEnv, startPersistentSimulator, type DemoPool, type Simulator } from '../simulator';

type Env = Record<string, string | undefined>;

export interface DemoRun {
  simulator: Simulator;
  pool: DemoPool;
  /** The environment the engine gets: the person's own, minus every provider variable, plus the demo's. */
  env: Env;
  /** The demo's routes (as a config file would give them); no accounts: those come through `env`. */
  config: SwitchyardConfig;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every provider's key, extra and base URL variable (`GROQ_API_KEY2`, `AZURE_OPENAI_ENDPOINT`, …), and the config file's. */
function providerVariable(): RegExp {
  const names = allProviders().flatMap((p) => [p.env.key, ...(p.env.extra ? [p.env.extra] : [])]);
  const bases = allProviders().flatMap((p) => (p.env.baseUrl ? [p.env.baseUrl] : []));
  return new RegExp(`^(?:(?:${names.map(escape).join('|')})\\d*|${[...bases, 'GITHUB_API_BASE_URL', 'GITHUB_MODELS_BASE_URL', 'SWITCHYARD_CONFIG'].map(escape).join('|')})$`);
}

/** The demo's route names as the config file's routes (`groq/llama-3.3-70b-versatile` → provider + model). */
export function demoRoutes(pool: DemoPool): Record<string, RouteTarget[]> {
  return Object.fromEntries(
    Object.entries(pool.routes).map(([name, targets]) => [
      name,
      targets.map((target) => {
        const slash = target.indexOf('/');
        return { provider: target.slice(0, slash) as ProviderId, model: target.slice(slash + 1) };
      }),
    ]),
  );
}

/**
 * `serve --simulate`: the simulator with the mixed demo pool (two Groq organisations, Gemini,
 * Cerebras, OpenRouter and the retired GitHub account; main/simulator/demo-pool.ts). The engine sees
 * it as any upstream, through the environment: the providers' base URL variables point at it and
 * the demo keys stand where the person's own would (theirs are left out, so nothing real is
 * spent). Its counts live with the demo's other data, so a restart keeps both sides consistent.
 */
export async function startDemo(demoDir: string, env: Env): Promise<DemoRun> {
  const pool = demoPool();
  await mkdir(demoDir, { recursive: true, mode: 0o700 });
  const simulator = await startPersistentSimulator(pool.options, join(demoDir, 'simulator-state.json'));
  const own = providerVariable();
  const kept = Object.fromEntries(Object.entries(env).filter(([name]) => !own.test(name)));
  return {
    simulator,
    pool,
    env: { ...kept, ...demoPoolEnv(pool, simulator.url) },
    config: { file: '(the --simulate demo)', accounts: [], routes: demoRoutes(pool), warnings: [] },
  };
}

/** One line for the banner: each demo account with its provider. */
export function demoAccountsLine(pool: DemoPool): string {
  return pool.accounts.map((a) => `${a.id} (${a.provider}${a.provider === 'github' ? ', retired' : ''})`).join(', ');
}

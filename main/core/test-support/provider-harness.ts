import { simulatorBaseUrlEnv, startSimulator, type Simulator, type SimulatorOptions } from '../../simulator';
import { startHarness, type Harness } from './harness';

/**
 * The real engine in front of the simulator speaking other providers' dialects: every provider's
 * base URL points at it, `env` adds the accounts (it may read the simulator's URL). With `models`,
 * waits until `/v1/models` lists them (the live lists arrive just after start; before, only the
 * bundled snapshots are known). Closing the harness closes the simulator.
 */
export async function startProviderHarness(
  simulator: Omit<SimulatorOptions, 'users'>,
  env: Record<string, string> | ((sim: Simulator) => Record<string, string>),
  models: readonly string[] = [],
): Promise<Harness> {
  const sim = await startSimulator({ users: [], ...simulator });
  let h: Harness;
  try {
    h = await startHarness({ users: [], sim, env: { ...simulatorBaseUrlEnv(sim.url), ...(typeof env === 'function' ? env(sim) : env) } });
  } catch (error) {
    await sim.close();
    throw error;
  }
  for (let i = 0; i < 200 && models.length > 0; i++) {
    const listed = new Set((await h.client.models.list()).data.map((m) => m.id));
    if (models.every((m) => listed.has(m))) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return h;
}

import type { SimulatorOptions } from './options';
import { startSimulator, type Simulator } from './server';
import { loadSimulatorState, saveSimulatorState } from './state';

/**
 * A simulator whose counts outlive a restart (issue 15 item 17): it starts from what `file` holds,
 * saves every `saveEveryMs` while it runs and once more on close. Pass the file that sits with the
 * demo's other data, so the engine's remembered blocks and the simulator's counts agree; delete
 * both to start fresh.
 */
export async function startPersistentSimulator(options: SimulatorOptions, file: string, saveEveryMs = 1000): Promise<Simulator> {
  const state = (await loadSimulatorState(file)) ?? undefined;
  const sim = await startSimulator({ ...options, state: state ?? options.state });
  let saving: Promise<void> = Promise.resolve();
  const save = () => {
    saving = saving.then(() => saveSimulatorState(file, sim.control.saveState())).catch(() => undefined);
    return saving;
  };
  const timer = setInterval(() => void save(), saveEveryMs);
  timer.unref();
  let closing: Promise<void> | null = null;
  return {
    url: sim.url,
    port: sim.port,
    control: sim.control,
    stats: () => sim.stats(),
    close: () => {
      closing ??= (async () => {
        clearInterval(timer);
        await save();
        await sim.close();
      })();
      return closing;
    },
  };
}

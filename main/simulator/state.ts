import { z } from 'zod';
import { readJsonFile, writeFileAtomic } from '../core/state/atomic-file';
import type { MetersState } from './providers/meters';
import type { GithubQuotaState } from './quota';

/**
 * What a simulator counted, saved so that a restarted demo upstream agrees with the blocks the
 * engine remembers (issue 15 item 17). Times are epoch ms on the simulator's clock; counters
 * whose window has ended by the time they are restored count for nothing.
 */
export interface SimulatorState {
  version: 1;
  savedAt: number;
  github: GithubQuotaState;
  providers: { meters: MetersState; throttles: Array<[string, number]> };
}

const entry = z.tuple([z.string(), z.number(), z.number()]);
const schema = z.object({
  version: z.literal(1),
  savedAt: z.number(),
  github: z.array(entry),
  providers: z.object({ meters: z.array(entry), throttles: z.array(z.tuple([z.string(), z.number()])) }),
});

/** Reads a saved state; null when the file is missing or unreadable (a bad file is set aside). */
export async function loadSimulatorState(file: string): Promise<SimulatorState | null> {
  const outcome = await readJsonFile(file, (raw) => schema.parse(raw));
  return outcome.status === 'ok' ? outcome.value : null;
}

/** Writes atomically, readable by the owner only (0600, folder 0700). */
export function saveSimulatorState(file: string, state: SimulatorState): Promise<void> {
  return writeFileAtomic(file, JSON.stringify(state), { mode: 0o600, createDir: true });
}

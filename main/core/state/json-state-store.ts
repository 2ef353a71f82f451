import path from 'node:path';
import { z } from 'zod';
import type { EngineEvent } from '../../../shared/events';
import { narrowMode, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, readJsonFile, writeFileAtomic } from './atomic-file';
import type { PersistedState, StateStore } from './types';

export interface JsonStateStoreOptions {
  dir: string;
  /** Quiet time after the last save before writing. */
  debounceMs?: number;
  /** Longest time a change stays unwritten while saves keep coming. */
  maxDelayMs?: number;
  /**
   * Errors of background (timer) writes, each failure once: the same error again on a retry is not
   * reported until a write has succeeded. `flush()` rejects instead. Default: a line on stderr.
   */
  onError?: (error: Error) => void;
  /** Applied to the serialized state before it is written (e.g. the engine's redactor: no held key in the file). */
  redact?: (text: string) => string;
}

export interface JsonStateStore extends StateStore {
  /** Absolute path of state.json. */
  readonly path: string;
}

const eventShape = z.looseObject({
  id: z.number().int(),
  ts: z.number(),
  startId: z.string(),
  kind: z.string(),
});

/** Loose on purpose: the ledger is the pool's business, and one odd event must not cost the whole file. */
const persistedStateSchema = z.looseObject({
  version: z.literal(1),
  savedAt: z.number().optional(),
  ledger: z.unknown(),
  events: z.array(z.unknown()),
  nextEventId: z.number().int().min(0),
});

export function parsePersistedState(raw: unknown): PersistedState {
  const parsed = persistedStateSchema.parse(raw);
  const events = parsed.events.filter((event) => eventShape.safeParse(event).success) as EngineEvent[];
  return {
    version: 1,
    savedAt: parsed.savedAt ?? 0,
    ledger: parsed.ledger ?? null,
    events,
    nextEventId: parsed.nextEventId,
  };
}

/**
 * StateStore over `<dir>/state.json`. `save` is debounced (`debounceMs` after the last call) and
 * bounded (never more than `maxDelayMs` after the first unwritten change). Timers are unref'ed and never throw.
 */
export function createJsonStateStore(options: JsonStateStoreOptions): JsonStateStore {
  const file = path.resolve(options.dir, 'state.json');
  const debounceMs = options.debounceMs ?? 500;
  const maxDelayMs = Math.max(options.maxDelayMs ?? 2_000, debounceMs);
  const onError =
    options.onError ??
    ((error: Error) => process.stderr.write(`switchyard: could not save state: ${error.message}\n`));

  const redact = options.redact ?? ((text: string) => text);
  let pending: PersistedState | null = null;
  let debounceTimer: NodeJS.Timeout | null = null;
  let maxTimer: NodeJS.Timeout | null = null;
  let closed = false;
  /** The write in progress, if any; writes never overlap. */
  let writing: Promise<void> = Promise.resolve();

  const clearTimers = () => {
    if (debounceTimer) clearTimeout(debounceTimer);
    if (maxTimer) clearTimeout(maxTimer);
    debounceTimer = null;
    maxTimer = null;
  };

  /** A failure already reported and not yet followed by a successful write: retries stay quiet. */
  let reported: string | null = null;
  const report = (error: unknown) => {
    const failure = error instanceof Error ? error : new Error(String(error));
    // By error code when there is one: messages name the temp file, which differs on every try.
    const key = (failure as NodeJS.ErrnoException).code ?? failure.message;
    if (key === reported) return;
    reported = key;
    try {
      onError(failure);
    } catch {
      // An error handler that throws must not become an uncaught exception in a timer.
    }
  };

  const startTimer = (ms: number) => {
    const timer = setTimeout(() => {
      writePending().catch(report);
    }, ms);
    timer.unref();
    return timer;
  };

  /** Writes whatever is pending now (after any write in progress); on failure the state stays pending. */
  const writePending = (): Promise<void> => {
    clearTimers();
    const run = writing.then(async () => {
      const state = pending;
      if (!state) return;
      pending = null;
      try {
        await writeFileAtomic(file, redact(JSON.stringify(state)), { mode: PRIVATE_FILE_MODE, createDir: true });
        reported = null;
      } catch (error) {
        pending ??= state;
        throw error;
      }
    });
    writing = run.catch(() => undefined);
    return run;
  };

  return {
    path: file,
    async load() {
      // Usage and account marks are nobody else's business: 0600 in a 0700 folder, whatever existed before.
      await narrowMode(path.dirname(file), PRIVATE_DIR_MODE);
      await narrowMode(file, PRIVATE_FILE_MODE);
      return readJsonFile(file, parsePersistedState);
    },
    save(state) {
      pending = state;
      // After close no timer runs again; a later flush() still writes this state.
      if (closed) return;
      if (debounceTimer) clearTimeout(debounceTimer);
      debounceTimer = startTimer(debounceMs);
      maxTimer ??= startTimer(maxDelayMs);
    },
    flush: () => writePending(),
    async close() {
      closed = true;
      await writePending();
    },
  };
}

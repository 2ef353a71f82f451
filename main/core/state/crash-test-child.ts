/**
 * Child process for crash-safety.test.ts (which bundles it with esbuild; `node --import tsx` runs it
 * as is), not part of the app.
 *   crash-test-child.ts <dir> loop   saves settings and state forever, printing an acknowledgement
 *                                    line after each save that has resolved ("settings <n>", "state <n>").
 *   crash-test-child.ts <dir> idle   saves state with a long debounce and returns: the process must
 *                                    exit on its own (the store's timers are unref'ed).
 */
import { defaultSettings } from '../../../shared/settings';
import { createJsonSettingsStore } from './json-settings-store';
import { createJsonStateStore } from './json-state-store';
import type { PersistedState } from './types';

const [dir, mode] = process.argv.slice(2);
if (!dir || (mode !== 'loop' && mode !== 'idle')) {
  process.stderr.write('usage: crash-test-child.ts <dir> loop|idle\n');
  process.exit(2);
}

const stateAt = (n: number): PersistedState => ({
  version: 1,
  savedAt: n,
  ledger: { n, padding: 'x'.repeat(64 * 1024) },
  events: [{ kind: 'stopped', id: n, ts: n, startId: 'crash-test' }],
  nextEventId: n + 1,
});

if (mode === 'idle') {
  const store = createJsonStateStore({ dir, debounceMs: 600_000, maxDelayMs: 600_000 });
  store.save(stateAt(1));
} else {
  const settingsStore = createJsonSettingsStore({ dir });
  const stateStore = createJsonStateStore({ dir, debounceMs: 1, maxDelayMs: 3 });
  const loaded = await settingsStore.load();
  if (loaded.status === 'corrupt') {
    process.stderr.write(`settings corrupt at start: ${loaded.error}\n`);
    process.exit(3);
  }
  let n = loaded.status === 'ok' ? loaded.value.maxWaitMs : 0;
  const base = defaultSettings();
  for (;;) {
    n += 1;
    await settingsStore.save({ ...base, maxWaitMs: n, accounts: [{ key: `acct${n}`, plan: 'free', disabled: false }] });
    process.stdout.write(`settings ${n}\n`);
    stateStore.save(stateAt(n));
    if (n % 2 === 0) {
      await stateStore.flush();
      process.stdout.write(`state ${n}\n`);
    }
  }
}

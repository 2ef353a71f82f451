import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createJsonSettingsStore } from './json-settings-store';
import { createJsonStateStore } from './json-state-store';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The child runs the real store code, bundled once into plain ESM: `node --import tsx` works too but
 * costs ~0.7 s per start, and this test starts the child 21 times.
 */
let bundleDir: string;
let childScript: string;
beforeAll(async () => {
  bundleDir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchyard-crash-child-'));
  childScript = path.join(bundleDir, 'crash-test-child.mjs');
  await build({
    entryPoints: [path.join(here, 'crash-test-child.ts')],
    outfile: childScript,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
  });
});
afterAll(async () => {
  await fs.rm(bundleDir, { recursive: true, force: true });
});

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchyard-crash-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** A small seeded generator, so a failing run can be told apart by its seed. */
function random(seed: number) {
  let s = seed >>> 0 || 1;
  return (n: number) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % n;
  };
}

interface Run {
  settingsAcks: number[];
  stateAcks: number[];
  signal: NodeJS.Signals | null;
  code: number | null;
  stderr: string;
}

/** Starts the child; once it has acknowledged `acks` settings saves, waits `extraTicks` turns of the loop and SIGKILLs it. */
function runAndKill(acks: number, extraTicks: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childScript, dir, 'loop'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run: Run = { settingsAcks: [], stateAcks: [], signal: null, code: null, stderr: '' };
    let buffered = '';
    let killing = false;
    const kill = (ticks: number) => {
      if (ticks > 0) return setImmediate(() => kill(ticks - 1));
      child.kill('SIGKILL');
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const [what, n] = line.split(' ');
        if (what === 'settings') run.settingsAcks.push(Number(n));
        if (what === 'state') run.stateAcks.push(Number(n));
      }
      if (!killing && run.settingsAcks.length >= acks) {
        killing = true;
        kill(extraTicks);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (run.stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ ...run, code, signal }));
  });
}

describe('crash safety', () => {
  it('files load cleanly and every acknowledged settings save survives SIGKILL at random moments', async () => {
    const seed = Date.now();
    const next = random(seed);
    const context = `seed ${seed}`;
    let lastSettings = 0;
    let lastState = 0;

    for (let round = 0; round < 20; round += 1) {
      const run = await runAndKill(1 + next(6), next(40));
      expect(run.signal, `${context}, round ${round}: ${run.stderr}`).toBe('SIGKILL');
      lastSettings = run.settingsAcks.at(-1) ?? lastSettings;
      lastState = run.stateAcks.at(-1) ?? lastState;

      const settings = await createJsonSettingsStore({ dir }).load();
      expect(settings.status, `${context}, round ${round}`).toBe('ok');
      if (settings.status !== 'ok') return;
      // Every acknowledged save is there; at most one more save landed without its acknowledgement.
      expect(settings.value.maxWaitMs, `${context}, round ${round}`).toBeGreaterThanOrEqual(lastSettings);
      expect(settings.value.maxWaitMs, `${context}, round ${round}`).toBeLessThanOrEqual(lastSettings + 1);
      expect(settings.value.accounts).toEqual([{ key: `acct${settings.value.maxWaitMs}`, plan: 'free', disabled: false }]);
      lastSettings = settings.value.maxWaitMs;

      const state = await createJsonStateStore({ dir }).load();
      if (lastState > 0) {
        expect(state.status, `${context}, round ${round}`).toBe('ok');
        if (state.status !== 'ok') return;
        expect(state.value.savedAt).toBeGreaterThanOrEqual(lastState);
        expect(state.value.savedAt).toBeLessThanOrEqual(lastSettings);
        expect(state.value.ledger).toMatchObject({ n: state.value.savedAt });
      } else {
        expect(state.status === 'ok' || state.status === 'missing', `${context}: ${state.status}`).toBe(true);
      }

      // Nothing set aside, and the loads swept the dead child's temp files.
      expect((await fs.readdir(dir)).sort(), `${context}, round ${round}`).toEqual(
        state.status === 'missing' ? ['settings.json'] : ['settings.json', 'state.json'],
      );
    }
    expect(lastSettings).toBeGreaterThanOrEqual(20);
  });

  it.skipIf(process.platform === 'win32')('pending debounce timers do not keep the process alive', async () => {
    const child = spawn(process.execPath, [childScript, dir, 'idle'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', (exitCode) => resolve(exitCode)));
    expect(code, stderr).toBe(0);
    expect(await fs.readdir(dir)).toEqual([]);
  });
});

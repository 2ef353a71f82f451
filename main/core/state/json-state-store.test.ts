import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineEvent } from '../../../shared/events';
import { writeFileAtomic } from './atomic-file';
import { createJsonStateStore, parsePersistedState } from './json-state-store';
import type { PersistedState } from './types';

vi.mock('./atomic-file', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./atomic-file')>();
  return { ...actual, writeFileAtomic: vi.fn(actual.writeFileAtomic) };
});
const writeSpy = vi.mocked(writeFileAtomic);

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchyard-state-'));
  writeSpy.mockClear();
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(async () => {
  vi.useRealTimers();
  await fs.rm(dir, { recursive: true, force: true });
});

const event: EngineEvent = { id: 1, ts: 10, startId: 's1', kind: 'stopped' };
const state = (n: number): PersistedState => ({
  version: 1,
  savedAt: n,
  ledger: { n },
  events: [event],
  nextEventId: 2,
});
/** Runs every pending microtask (a timer's write starts within microtasks, before any I/O). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
const writtenSavedAts = () => writeSpy.mock.calls.map(([, data]) => (JSON.parse(String(data)) as PersistedState).savedAt);

describe('createJsonStateStore', () => {
  it('round-trips through state.json', async () => {
    const store = createJsonStateStore({ dir });
    expect(await store.load()).toEqual({ status: 'missing' });
    store.save(state(1));
    await store.flush();
    expect(store.path).toBe(path.join(dir, 'state.json'));
    expect(await store.load()).toEqual({ status: 'ok', value: state(1) });
    await store.close();
  });

  it('coalesces a burst of saves into one write, debounceMs after the last', async () => {
    const store = createJsonStateStore({ dir, debounceMs: 500, maxDelayMs: 2_000 });
    for (let n = 1; n <= 4; n += 1) {
      store.save(state(n));
      await vi.advanceTimersByTimeAsync(300);
      await settle();
    }
    expect(writeSpy).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(199);
    await settle();
    expect(writeSpy).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    await settle();
    expect(writtenSavedAts()).toEqual([4]);
    await store.flush();
    expect(writtenSavedAts()).toEqual([4]);
    expect(await store.load()).toEqual({ status: 'ok', value: state(4) });
    await store.close();
  });

  it('writes at most maxDelayMs after the first unsaved change even when saves keep coming', async () => {
    const store = createJsonStateStore({ dir, debounceMs: 500, maxDelayMs: 2_000 });
    let n = 0;
    for (let elapsed = 0; elapsed < 1_900; elapsed += 100) {
      store.save(state((n += 1)));
      await vi.advanceTimersByTimeAsync(100);
    }
    await settle();
    expect(writeSpy).not.toHaveBeenCalled();
    store.save(state((n += 1)));
    await vi.advanceTimersByTimeAsync(100); // t = 2000 since the first save
    await settle();
    expect(writtenSavedAts()).toEqual([20]);

    // The bound restarts with the next unsaved change.
    await store.flush();
    store.save(state(21));
    for (let elapsed = 0; elapsed < 2_000; elapsed += 400) {
      await vi.advanceTimersByTimeAsync(400);
      store.save(state(22));
    }
    await settle();
    expect(writtenSavedAts()).toEqual([20, 22]);
    await store.close();
  });

  it('flush writes pending state now and resolves once it is on disk', async () => {
    const store = createJsonStateStore({ dir, debounceMs: 60_000, maxDelayMs: 60_000 });
    store.save(state(7));
    await store.flush();
    expect(JSON.parse(await fs.readFile(store.path, 'utf8'))).toEqual(state(7));
    // Nothing pending: no second write, and the cancelled timers do not write later either.
    await store.flush();
    await vi.advanceTimersByTimeAsync(120_000);
    await settle();
    expect(writeSpy).toHaveBeenCalledTimes(1);
    await store.close();
  });

  it('flush waits for a write already in progress', async () => {
    const store = createJsonStateStore({ dir, debounceMs: 10 });
    store.save(state(1));
    await vi.advanceTimersByTimeAsync(10);
    await settle();
    expect(writeSpy).toHaveBeenCalledTimes(1);
    await store.flush();
    expect(JSON.parse(await fs.readFile(store.path, 'utf8'))).toEqual(state(1));
    expect(writeSpy).toHaveBeenCalledTimes(1);
    await store.close();
  });

  it('close flushes and stops the timers', async () => {
    const store = createJsonStateStore({ dir, debounceMs: 500 });
    store.save(state(3));
    await store.close();
    expect(JSON.parse(await fs.readFile(store.path, 'utf8'))).toEqual(state(3));
    store.save(state(4));
    await vi.advanceTimersByTimeAsync(10_000);
    await settle();
    expect(writtenSavedAts()).toEqual([3]);
  });

  it('sends background write errors to onError, keeps the state pending, and flush rejects', async () => {
    const onError = vi.fn();
    const blocked = path.join(dir, 'not-a-dir');
    await fs.writeFile(blocked, 'a file where the folder should be');
    const store = createJsonStateStore({ dir: blocked, debounceMs: 10, onError });
    store.save(state(1));
    await vi.advanceTimersByTimeAsync(10);
    await vi.waitFor(() => expect(onError).toHaveBeenCalledTimes(1));
    expect(onError.mock.calls[0]?.[0]).toBeInstanceOf(Error);
    // Still pending: flush retries it (and fails the same way, loudly this time).
    await expect(store.flush()).rejects.toThrow();
    expect(writeSpy).toHaveBeenCalledTimes(2);
  });

  it('an onError that throws does not escape the timer', async () => {
    const blocked = path.join(dir, 'not-a-dir');
    await fs.writeFile(blocked, 'x');
    let calls = 0;
    const store = createJsonStateStore({
      dir: blocked,
      debounceMs: 10,
      onError: () => {
        calls += 1;
        throw new Error('handler broke');
      },
    });
    store.save(state(1));
    await vi.advanceTimersByTimeAsync(10);
    await vi.waitFor(() => expect(calls).toBe(1));
    // vitest fails the run on any unhandled rejection or uncaught exception.
  });

  it.runIf(process.platform !== 'win32')('keeps state.json 0600 in a 0700 folder, narrowing what existed wider (issue 15 item 5)', async () => {
    await fs.chmod(dir, 0o755);
    const file = path.join(dir, 'state.json');
    await fs.writeFile(file, JSON.stringify(state(0)), { mode: 0o644 });
    await fs.chmod(file, 0o644);
    const store = createJsonStateStore({ dir });
    expect((await store.load()).status).toBe('ok');
    expect((await fs.stat(dir)).mode & 0o777).toBe(0o700);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    await fs.rm(file);
    store.save(state(1));
    await store.flush();
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    await store.close();
  });

  it('reports a failure that keeps happening once, not on every retry, and again after a recovery (issue 15 item 11)', async () => {
    const onError = vi.fn();
    const blocked = path.join(dir, 'not-a-dir');
    await fs.writeFile(blocked, 'a file where the folder should be');
    const store = createJsonStateStore({ dir: blocked, debounceMs: 10, maxDelayMs: 10, onError });
    for (let i = 0; i < 5; i += 1) {
      store.save(state(i));
      await vi.advanceTimersByTimeAsync(20);
      await vi.waitFor(() => expect(writeSpy).toHaveBeenCalledTimes(i + 1));
      await settle();
    }
    expect(onError).toHaveBeenCalledTimes(1);
    await fs.rm(blocked);
    store.save(state(9));
    await expect(store.flush()).resolves.toBeUndefined();
    await fs.rm(blocked, { recursive: true });
    await fs.writeFile(blocked, 'broken again');
    store.save(state(10));
    await vi.advanceTimersByTimeAsync(20);
    await vi.waitFor(() => expect(onError).toHaveBeenCalledTimes(2));
  });

  it('sets a corrupt state.json aside and starts clean', async () => {
    const file = path.join(dir, 'state.json');
    await fs.writeFile(file, JSON.stringify({ version: 2, events: [], nextEventId: 1 }));
    const store = createJsonStateStore({ dir });
    const outcome = await store.load();
    expect(outcome).toMatchObject({ status: 'corrupt', error: expect.stringContaining('version') });
    if (outcome.status !== 'corrupt') throw new Error('expected corrupt');
    expect(await fs.readFile(outcome.setAsidePath, 'utf8')).toContain('"version":2');
    expect(await store.load()).toEqual({ status: 'missing' });
  });
});

describe('parsePersistedState', () => {
  it('keeps the ledger as is and drops only malformed events', () => {
    const raw = {
      version: 1,
      savedAt: 5,
      ledger: { anything: [1, 2] },
      events: [event, { id: 'x' }, null, { ...event, id: 2 }],
      nextEventId: 3,
    };
    expect(parsePersistedState(raw)).toEqual({
      version: 1,
      savedAt: 5,
      ledger: { anything: [1, 2] },
      events: [event, { ...event, id: 2 }],
      nextEventId: 3,
    });
  });

  it('rejects a wrong version, a missing events array, or a non-numeric nextEventId', () => {
    const good = state(1);
    expect(() => parsePersistedState({ ...good, version: 2 })).toThrow();
    expect(() => parsePersistedState({ ...good, events: {} })).toThrow();
    expect(() => parsePersistedState({ ...good, nextEventId: '3' })).toThrow();
    expect(() => parsePersistedState([good])).toThrow();
  });
});

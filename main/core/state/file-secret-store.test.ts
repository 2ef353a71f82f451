import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFileSecretStore } from './file-secret-store';

const posixOnly = it.skipIf(process.platform === 'win32');

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchyard-secrets-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('createFileSecretStore', () => {
  it('starts empty and round-trips secrets', async () => {
    const store = createFileSecretStore({ dir });
    expect(await store.load()).toEqual({});
    await store.save({ GITHUB_TOKEN1: 'gho_aaaa', work: 'github_pat_bbbb' });
    expect(await createFileSecretStore({ dir }).load()).toEqual({ GITHUB_TOKEN1: 'gho_aaaa', work: 'github_pat_bbbb' });
    expect(await fs.readdir(dir)).toEqual(['secrets.json']);
  });

  posixOnly('writes the file with mode 0600, and narrows a widened file on load', async () => {
    const store = createFileSecretStore({ dir });
    await store.save({ a: 'gho_1' });
    expect((await fs.stat(store.path)).mode & 0o777).toBe(0o600);
    await fs.chmod(store.path, 0o644);
    expect(await store.load()).toEqual({ a: 'gho_1' });
    expect((await fs.stat(store.path)).mode & 0o777).toBe(0o600);
    await store.save({ a: 'gho_2' });
    expect((await fs.stat(store.path)).mode & 0o777).toBe(0o600);
  });

  posixOnly('narrows a world-readable folder it loads from to 0700', async () => {
    await fs.chmod(dir, 0o755);
    await createFileSecretStore({ dir }).load();
    expect((await fs.stat(dir)).mode & 0o777).toBe(0o700);
  });

  posixOnly('creates a missing folder with mode 0700', async () => {
    const nested = path.join(dir, 'data');
    const store = createFileSecretStore({ dir: nested });
    await store.save({ a: 'gho_1' });
    expect((await fs.stat(nested)).mode & 0o777).toBe(0o700);
  });

  it('never lets a stored name reach a prototype: loads into a map without one, refuses to save such a name', async () => {
    const store = createFileSecretStore({ dir });
    await fs.writeFile(store.path, '{"version":1,"secrets":{"__proto__":"gho_evil","ok":"gho_fine"}}');
    const loaded = await store.load();
    expect(Object.getPrototypeOf(loaded)).toBeNull();
    expect(Object.keys(loaded)).toEqual(['ok']);
    const hostile = Object.defineProperty({ ok: 'gho_fine' }, '__proto__', { value: 'gho_evil', enumerable: true }) as Record<string, string>;
    await expect(store.save(hostile)).rejects.toThrow(/account name/);
  });

  it('sets a corrupt file aside, reports it, and loads as empty', async () => {
    const onCorrupt = vi.fn();
    const store = createFileSecretStore({ dir, onCorrupt });
    await fs.writeFile(store.path, '{"version":1,"secrets":{"a":"gho_secretsecret"');
    expect(await store.load()).toEqual({});
    expect(onCorrupt).toHaveBeenCalledTimes(1);
    const outcome = onCorrupt.mock.calls[0]?.[0] as { setAsidePath: string; error: string };
    expect(outcome.error).not.toContain('gho_');
    expect(await fs.readFile(outcome.setAsidePath, 'utf8')).toContain('gho_secretsecret');
    // Wrong shape (a value that is not a string) is corrupt too.
    await fs.writeFile(store.path, JSON.stringify({ version: 1, secrets: { a: 42 } }));
    expect(await store.load()).toEqual({});
    expect(onCorrupt).toHaveBeenCalledTimes(2);
  });

  it('describes plainly where and how secrets are kept', () => {
    const store = createFileSecretStore({ dir });
    expect(store.describe()).toBe(
      `stored unencrypted in ${path.join(dir, 'secrets.json')}, readable only by your user (like the GitHub CLI's hosts.yml)`,
    );
  });
});

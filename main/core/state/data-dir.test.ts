import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dataDirProblem, resolveDataDir } from './data-dir';

let root: string;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'switchyard-datadir-'));
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await fs.rm(root, { recursive: true, force: true });
});

describe('resolveDataDir', () => {
  it('uses SWITCHYARD_DATA_DIR and creates it with mode 0700', async () => {
    const wanted = path.join(root, 'x', 'data');
    expect(await resolveDataDir({ SWITCHYARD_DATA_DIR: wanted })).toBe(wanted);
    const stat = await fs.stat(wanted);
    expect(stat.isDirectory()).toBe(true);
    if (process.platform !== 'win32') expect(stat.mode & 0o777).toBe(0o700);
  });

  it('resolves a relative SWITCHYARD_DATA_DIR against the working directory', async () => {
    const relative = path.relative(process.cwd(), path.join(root, 'rel'));
    expect(await resolveDataDir({ SWITCHYARD_DATA_DIR: relative })).toBe(path.join(root, 'rel'));
  });

  it.runIf(process.platform !== 'win32')('narrows an existing world-readable folder to 0700 (issue 15 item 5)', async () => {
    const existing = path.join(root, 'existing');
    await fs.mkdir(existing, { mode: 0o755 });
    await fs.chmod(existing, 0o755);
    await resolveDataDir({ SWITCHYARD_DATA_DIR: existing });
    expect((await fs.stat(existing)).mode & 0o777).toBe(0o700);
  });

  it.runIf(process.platform === 'linux')('defaults to the per-user config folder, named plainly "switchyard"', async () => {
    vi.stubEnv('XDG_CONFIG_HOME', path.join(root, 'config'));
    expect(await resolveDataDir({ SWITCHYARD_DATA_DIR: '  ' })).toBe(path.join(root, 'config', 'switchyard'));
    expect(await resolveDataDir({})).toBe(path.join(root, 'config', 'switchyard'));
    expect((await fs.stat(path.join(root, 'config', 'switchyard'))).isDirectory()).toBe(true);
  });
});

describe('dataDirProblem', () => {
  it('is null for a folder it can write (creating it), and names the folder and the error code otherwise', async () => {
    expect(await dataDirProblem(path.join(root, 'new', 'data'))).toBeNull();
    expect(await fs.readdir(path.join(root, 'new', 'data'))).toEqual([]);
    const blocker = path.join(root, 'file');
    await fs.writeFile(blocker, 'x');
    expect(await dataDirProblem(path.join(blocker, 'data'))).toMatch(/^The data folder .*file\/data cannot be written \(ENOTDIR: a file stands where the folder should be\)/);
  });
});

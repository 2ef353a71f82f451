import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readGhToken } from './gh-token';

describe.skipIf(process.platform === 'win32')('readGhToken (gh auth token)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gh-token-'));
    vi.stubEnv('PATH', dir);
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await rm(dir, { recursive: true, force: true });
  });
  const fakeGh = async (script: string) => {
    await writeFile(join(dir, 'gh'), `#!/bin/sh\n${script}\n`);
    await chmod(join(dir, 'gh'), 0o755);
  };

  it('says gh is not installed when there is no gh on the PATH', async () => {
    expect(await readGhToken()).toMatchObject({ ok: false, code: 'gh_not_installed' });
  });

  it('reads the token gh prints, trimmed', async () => {
    await fakeGh('echo "  gho_fromTheCli123  "');
    expect(await readGhToken()).toEqual({ ok: true, token: 'gho_fromTheCli123' });
  });

  it('says there is no token when gh fails or prints nothing', async () => {
    await fakeGh('exit 1');
    expect(await readGhToken()).toMatchObject({ ok: false, code: 'gh_no_token' });
    await fakeGh('true');
    expect(await readGhToken()).toMatchObject({ ok: false, code: 'gh_no_token' });
  });
});

import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isTempFileFor, readJsonFile, removeStaleTempFiles, writeFileAtomic, writeTempFile } from './atomic-file';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchyard-atomic-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const objectSchema = z.object({ n: z.number() });
const parseN = (raw: unknown) => objectSchema.parse(raw);

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  if (child.pid === undefined) throw new Error('could not spawn');
  return child.pid;
}

describe('writeFileAtomic', () => {
  it('replaces the content and leaves no temp file behind', async () => {
    const file = path.join(dir, 'a.json');
    await writeFileAtomic(file, 'first');
    await writeFileAtomic(file, 'second');
    expect(await fs.readFile(file, 'utf8')).toBe('second');
    expect(await fs.readdir(dir)).toEqual(['a.json']);
  });

  it.skipIf(process.platform === 'win32')('applies the requested mode regardless of the umask', async () => {
    const file = path.join(dir, 'secret');
    await writeFileAtomic(file, 'x', { mode: 0o600 });
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    await fs.chmod(file, 0o644);
    await writeFileAtomic(file, 'y', { mode: 0o600 });
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
  });

  it('creates a missing parent folder only when asked', async () => {
    const file = path.join(dir, 'nested', 'deeper', 'a.json');
    await expect(writeFileAtomic(file, 'x')).rejects.toMatchObject({ code: 'ENOENT' });
    await writeFileAtomic(file, 'x', { createDir: true });
    expect(await fs.readFile(file, 'utf8')).toBe('x');
  });

  it('serializes concurrent writes to one path in call order, never interleaving', async () => {
    const file = path.join(dir, 'big.json');
    const payload = (i: number) => JSON.stringify({ n: i, fill: String(i).repeat(50_000) });
    const finished: number[] = [];
    const writes = Array.from({ length: 30 }, (_, i) =>
      writeFileAtomic(file, payload(i)).then(() => finished.push(i)),
    );
    // Read while the writes are in flight: every read sees one whole payload.
    let done = false;
    const all = Promise.all(writes).then(() => {
      done = true;
    });
    while (!done) {
      const text = await fs.readFile(file, 'utf8').catch(() => null);
      if (text !== null) {
        const parsed = JSON.parse(text) as { n: number; fill: string };
        expect(parsed.fill).toBe(String(parsed.n).repeat(50_000));
      }
    }
    await all;
    expect(finished).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(JSON.parse(await fs.readFile(file, 'utf8')).n).toBe(29);
    expect(await fs.readdir(dir)).toEqual(['big.json']);
  });

  it('a failed write rejects its caller and does not block the next one', async () => {
    const file = path.join(dir, 'sub', 'a.json');
    const failing = writeFileAtomic(file, 'lost');
    const next = writeFileAtomic(file, 'kept', { createDir: true });
    await expect(failing).rejects.toMatchObject({ code: 'ENOENT' });
    await next;
    expect(await fs.readFile(file, 'utf8')).toBe('kept');
    expect(await fs.readdir(path.dirname(file))).toEqual(['a.json']);
  });
});

describe('a crash between temp write and rename', () => {
  it('leaves the old content in place, and readers ignore the stray temp file', async () => {
    const file = path.join(dir, 'state.json');
    await writeFileAtomic(file, JSON.stringify({ n: 1 }));
    // The "crash": the new content reached a temp file but was never renamed over the target.
    const temp = await writeTempFile(file, JSON.stringify({ n: 2 }));
    expect(isTempFileFor(file, path.basename(temp))).toBe(true);

    expect(await readJsonFile(file, parseN)).toEqual({ status: 'ok', value: { n: 1 } });
    // This process is alive, so its own temp file is left alone.
    expect(await fs.readdir(dir)).toContain(path.basename(temp));
  });

  it('sweeps temp files of dead processes for that file only', async () => {
    const file = path.join(dir, 'state.json');
    await writeFileAtomic(file, JSON.stringify({ n: 1 }));
    const pid = deadPid();
    const stale = `.state.json.${pid}.0123456789ab.tmp`;
    const otherFile = `.settings.json.${pid}.0123456789ab.tmp`;
    const notOurs = '.state.json.backup';
    for (const name of [stale, otherFile, notOurs]) await fs.writeFile(path.join(dir, name), 'partial');

    await removeStaleTempFiles(file);
    expect((await fs.readdir(dir)).sort()).toEqual([otherFile, notOurs, 'state.json'].sort());
  });
});

describe('readJsonFile', () => {
  const fixedNow = () => Date.UTC(2025, 0, 2, 3, 4, 5, 678);
  const asideName = 'x.json.corrupt-2025-01-02T03-04-05-678Z';

  it('reports a missing file', async () => {
    expect(await readJsonFile(path.join(dir, 'none.json'), parseN)).toEqual({ status: 'missing' });
  });

  it('returns the parsed value', async () => {
    await fs.writeFile(path.join(dir, 'x.json'), '\uFEFF{"n": 5, "extra": true}');
    expect(await readJsonFile(path.join(dir, 'x.json'), parseN)).toEqual({ status: 'ok', value: { n: 5 } });
  });

  it('sets invalid JSON aside, without quoting the content, and the next read is clean', async () => {
    const file = path.join(dir, 'x.json');
    await fs.writeFile(file, '{"token": "gho_supersecretvalue123", oops');
    const outcome = await readJsonFile(file, parseN, { now: fixedNow });
    expect(outcome).toMatchObject({ status: 'corrupt', setAsidePath: path.join(dir, asideName) });
    if (outcome.status !== 'corrupt') throw new Error('expected corrupt');
    expect(outcome.error).toMatch(/not valid JSON/);
    expect(outcome.error).not.toContain('gho_');
    expect(await fs.readFile(outcome.setAsidePath, 'utf8')).toContain('gho_supersecretvalue123');
    expect(await readJsonFile(file, parseN)).toEqual({ status: 'missing' });
  });

  it('sets aside an empty file and one that fails the schema', async () => {
    const file = path.join(dir, 'x.json');
    await fs.writeFile(file, '');
    expect(await readJsonFile(file, parseN, { now: fixedNow })).toMatchObject({ status: 'corrupt' });

    await fs.writeFile(file, '{"n": "five"}');
    const outcome = await readJsonFile(file, parseN, { now: fixedNow });
    expect(outcome).toMatchObject({ status: 'corrupt', error: expect.stringMatching(/^invalid content: n: /) });
    // Same timestamp twice: the second set-aside gets its own name.
    if (outcome.status !== 'corrupt') throw new Error('expected corrupt');
    expect(outcome.setAsidePath).toBe(path.join(dir, `${asideName}-1`));
    expect((await fs.readdir(dir)).sort()).toEqual([asideName, `${asideName}-1`]);
  });

  it('sets aside something unreadable as a file (a directory in its place)', async () => {
    const file = path.join(dir, 'x.json');
    await fs.mkdir(file);
    const outcome = await readJsonFile(file, parseN, { now: fixedNow });
    expect(outcome).toMatchObject({ status: 'corrupt', error: expect.stringMatching(/could not be read/) });
    expect(await readJsonFile(file, parseN)).toEqual({ status: 'missing' });
  });
});

import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { LoadOutcome } from './types';

/** Every file Switchyard writes: readable and writable by its user only. */
export const PRIVATE_FILE_MODE = 0o600;
/** Every folder Switchyard keeps files in. */
export const PRIVATE_DIR_MODE = 0o700;

export interface WriteFileAtomicOptions {
  /** File mode of the written file (default 0o600). Applied explicitly, so the umask does not narrow or widen it. */
  mode?: number;
  /** Create the parent directory (mode 0700, with its parents) when it is missing. */
  createDir?: boolean;
}

/** Tail of the write chain per absolute path: writes to one path run one after another, in call order. */
const chains = new Map<string, Promise<unknown>>();

/**
 * Writes `data` to `file` so that a reader (or a crash) sees either the old content or the new one,
 * never a mix: temp file in the same directory → fsync → rename over the target → fsync the directory.
 * Concurrent calls for one path are serialized in call order (the last call's data ends on disk).
 */
export function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  const target = path.resolve(file);
  const previous = chains.get(target) ?? Promise.resolve();
  const run = previous.then(() => writeNow(target, data, options));
  const tail = run.catch(() => undefined);
  chains.set(target, tail);
  void tail.then(() => {
    if (chains.get(target) === tail) chains.delete(target);
  });
  return run;
}

async function writeNow(target: string, data: string | Uint8Array, options: WriteFileAtomicOptions): Promise<void> {
  let temp: string;
  try {
    temp = await writeTempFile(target, data, options);
  } catch (error) {
    if (!options.createDir || (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await ensureDir(path.dirname(target));
    temp = await writeTempFile(target, data, options);
  }
  try {
    await fs.rename(temp, target);
  } catch (error) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await fsyncDirectory(path.dirname(target));
}

/**
 * Writes and fsyncs a temp file beside `target` (named `.<name>.<pid>.<random>.tmp`) and returns its path.
 * The caller moves it into place (rename, or link for an exclusive create) or removes it.
 */
export async function writeTempFile(
  target: string,
  data: string | Uint8Array,
  options: WriteFileAtomicOptions = {},
): Promise<string> {
  const temp = tempPathFor(target);
  const mode = options.mode ?? PRIVATE_FILE_MODE;
  const handle = await fs.open(temp, 'wx', mode);
  try {
    if (process.platform !== 'win32') await handle.chmod(mode);
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await handle.close();
  return temp;
}

/** Makes a rename inside `dir` durable. Best effort: some platforms (Windows) refuse to fsync a directory. */
export async function fsyncDirectory(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // EISDIR / EPERM / EINVAL on platforms without directory fsync: the rename itself is still atomic.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

function tempPathFor(target: string): string {
  const name = `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  return path.join(path.dirname(target), name);
}

const TEMP_NAME = /^\.(.+)\.(\d+)\.[0-9a-f]{12}\.tmp$/;

/** True for a temp file name left by `writeFileAtomic` for `target` (used by tests and the stale-temp sweep). */
export function isTempFileFor(target: string, fileName: string): boolean {
  const match = TEMP_NAME.exec(fileName);
  return match !== null && match[1] === path.basename(target);
}

/**
 * Removes temp files for `target` left by processes that no longer run (a crash between temp write and
 * rename). Temp files of live processes, including this one, are kept. Best effort, never throws.
 */
export async function removeStaleTempFiles(target: string): Promise<void> {
  const dir = path.dirname(path.resolve(target));
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const match = TEMP_NAME.exec(name);
    if (!match || match[1] !== path.basename(target)) continue;
    const pid = Number(match[2]);
    if (pid === process.pid || isAlive(pid)) continue;
    await fs.rm(path.join(dir, name), { force: true }).catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Creates `dir` (and parents) with mode 0700 when missing, and narrows an existing `dir` that is
 * wider (e.g. 0755) to 0700. POSIX only; narrowing is best effort (a folder we do not own stays).
 */
export async function ensureDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  await narrowMode(dir, PRIVATE_DIR_MODE);
}

/** A file someone widened by hand (e.g. copied with 0644), or written by an older build, is narrowed back to `mode`. POSIX only; best effort. */
export async function narrowFileMode(file: string, mode: number = PRIVATE_FILE_MODE): Promise<void> {
  await narrowMode(file, mode);
}

/** Narrows an existing file or folder to `mode` when it differs; missing or not ours: left alone. POSIX only. */
export async function narrowMode(target: string, mode: number): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    const stat = await fs.stat(target);
    if ((stat.mode & 0o777) !== mode) await fs.chmod(target, mode);
  } catch {
    // Best effort: missing (the next write creates it private) or not ours to change.
  }
}

export interface ReadJsonFileOptions {
  /** Epoch ms for the set-aside name; defaults to Date.now(). */
  now?: () => number;
}

/**
 * Reads and validates a JSON file. Missing → `missing`. Unreadable, not JSON, or rejected by `parse`
 * → the file is renamed to `<name>.corrupt-<timestamp>` and `corrupt` is returned, so the next start is
 * clean. Throws only when a bad file cannot even be moved aside (the folder itself is unusable).
 * Error texts never quote the file's content (it may hold secrets).
 */
export async function readJsonFile<T>(
  file: string,
  parse: (raw: unknown) => T,
  options: ReadJsonFileOptions = {},
): Promise<LoadOutcome<T>> {
  const target = path.resolve(file);
  await removeStaleTempFiles(target);
  let text: string;
  try {
    text = await fs.readFile(target, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { status: 'missing' };
    return setAside(target, `could not be read (${code ?? 'error'})`, options);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return setAside(target, describeJsonError(error), options);
  }
  try {
    return { status: 'ok', value: parse(raw) };
  } catch (error) {
    return setAside(target, describeInvalid(error), options);
  }
}

async function setAside(
  target: string,
  reason: string,
  options: ReadJsonFileOptions,
): Promise<LoadOutcome<never>> {
  const stamp = new Date((options.now ?? Date.now)()).toISOString().replace(/[:.]/g, '-');
  const base = `${target}.corrupt-${stamp}`;
  let candidate = base;
  for (let n = 1; await exists(candidate); n += 1) candidate = `${base}-${n}`;
  try {
    await fs.rename(target, candidate);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new Error(`${path.basename(target)} is invalid (${reason}) and could not be moved aside (${code})`);
  }
  await fsyncDirectory(path.dirname(target));
  return { status: 'corrupt', setAsidePath: candidate, error: reason };
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.lstat(file);
    return true;
  } catch {
    return false;
  }
}

function describeJsonError(error: unknown): string {
  const position = /position (\d+)/.exec(error instanceof Error ? error.message : '');
  if (position) return `not valid JSON (at position ${position[1]})`;
  return 'not valid JSON';
}

function describeInvalid(error: unknown): string {
  if (error instanceof z.ZodError) {
    return `invalid content: ${error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ')}`;
  }
  return `invalid content: ${error instanceof Error ? error.message : String(error)}`;
}

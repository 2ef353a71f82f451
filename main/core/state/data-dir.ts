import { promises as fs } from 'node:fs';
import path from 'node:path';
import envPaths from 'env-paths';
import { ensureDir, writeTempFile } from './atomic-file';

/**
 * The data folder: `SWITCHYARD_DATA_DIR` when set (relative paths resolve against the working
 * directory), else the OS per-user config folder for "switchyard" (e.g. ~/.config/switchyard,
 * ~/Library/Preferences/switchyard, %APPDATA%\switchyard\Config). Created with mode 0700 when missing;
 * an existing folder wider than that (e.g. 0755) is narrowed to 0700.
 */
export async function resolveDataDir(env: Record<string, string | undefined> = process.env): Promise<string> {
  const dir = dataDirPath(env);
  await ensureDir(dir);
  return dir;
}

/** Where the data folder is (see resolveDataDir), without creating it. */
export function dataDirPath(env: Record<string, string | undefined> = process.env): string {
  const configured = env.SWITCHYARD_DATA_DIR?.trim();
  return configured ? path.resolve(configured) : envPaths('switchyard', { suffix: '' }).config;
}

/**
 * Why Switchyard cannot keep its files in `dir` (missing and not creatable, read-only, not a folder),
 * in plain words with the error code; null when it can (checked by writing and removing a probe file).
 */
export async function dataDirProblem(dir: string): Promise<string | null> {
  try {
    await ensureDir(dir);
    const probe = await writeTempFile(path.join(dir, 'write-check'), 'ok');
    await fs.rm(probe, { force: true });
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const why = code === 'EROFS' ? 'it is on a read-only file system' : code === 'EACCES' || code === 'EPERM' ? 'this user may not write there' : code === 'ENOTDIR' || code === 'EEXIST' ? 'a file stands where the folder should be' : (error as Error).message;
    return `The data folder ${dir} cannot be written (${code}: ${why}), so settings, accounts and usage could not be saved.`;
  }
}

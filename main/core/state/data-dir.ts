import path from 'node:path';
import envPaths from 'env-paths';
import { ensureDir } from './atomic-file';

/**
 * The data folder: `SWITCHYARD_DATA_DIR` when set (relative paths resolve against the working
 * directory), else the OS per-user config folder for "switchyard" (e.g. ~/.config/switchyard,
 * ~/Library/Preferences/switchyard, %APPDATA%\switchyard\Config). Created with mode 0700 when missing;
 * an existing folder wider than that (e.g. 0755) is narrowed to 0700.
 */
export async function resolveDataDir(env: Record<string, string | undefined> = process.env): Promise<string> {
  const configured = env.SWITCHYARD_DATA_DIR?.trim();
  const dir = configured ? path.resolve(configured) : envPaths('switchyard', { suffix: '' }).config;
  await ensureDir(dir);
  return dir;
}

import { promises as fs } from 'node:fs';
import path from 'node:path';
import envPaths from 'env-paths';

/**
 * The data folder: `SWITCHYARD_DATA_DIR` when set (relative paths resolve against the working
 * directory), else the OS per-user config folder for "switchyard" (e.g. ~/.config/switchyard,
 * ~/Library/Preferences/switchyard, %APPDATA%\switchyard\Config). Created with mode 0700 when missing;
 * an existing folder keeps its mode.
 */
export async function resolveDataDir(env: Record<string, string | undefined> = process.env): Promise<string> {
  const configured = env.SWITCHYARD_DATA_DIR?.trim();
  const dir = configured ? path.resolve(configured) : envPaths('switchyard', { suffix: '' }).config;
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  return dir;
}

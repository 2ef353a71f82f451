import { app } from 'electron';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { DESKTOP_ENTRY, PRODUCT_NAME } from './identity';

/**
 * Start at login: the OS login items on macOS and Windows (`app.setLoginItemSettings`), an XDG
 * autostart entry (`~/.config/autostart/switchyard.desktop`) on Linux.
 */

export interface LaunchAtLoginEnv {
  platform?: NodeJS.Platform;
  env?: Record<string, string | undefined>;
  homeDir?: string;
  /** What to run: the AppImage, the installed binary, or (in development) electron plus the app folder. */
  command?: string[];
}

export function autostartFile(options: LaunchAtLoginEnv = {}): string {
  const env = options.env ?? process.env;
  const config = env.XDG_CONFIG_HOME || join(options.homeDir ?? homedir(), '.config');
  return join(config, 'autostart', DESKTOP_ENTRY);
}

/** Quoting per the Desktop Entry spec: double quotes, with " ` $ \ escaped. */
function quoteArg(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `"${arg.replace(/(["`$\\])/g, '\\$1')}"`;
}

export function desktopEntry(command: string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    `Name=${PRODUCT_NAME}`,
    'Comment=OpenAI-compatible proxy for GitHub Models over several accounts',
    `Exec=${command.map(quoteArg).join(' ')}`,
    'Icon=switchyard',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** The command that starts this app: the AppImage when run from one, else the executable (+ app folder in dev). */
export function launchCommand(env: Record<string, string | undefined> = process.env): string[] {
  if (env.APPIMAGE) return [env.APPIMAGE];
  return app.isPackaged ? [process.execPath] : [process.execPath, app.getAppPath()];
}

export async function setLaunchAtLogin(enabled: boolean, options: LaunchAtLoginEnv = {}): Promise<void> {
  const platform = options.platform ?? process.platform;
  if (platform === 'darwin' || platform === 'win32') {
    app.setLoginItemSettings({ openAtLogin: enabled });
    return;
  }
  const file = autostartFile(options);
  if (!enabled) {
    await rm(file, { force: true });
    return;
  }
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, desktopEntry(options.command ?? launchCommand(options.env)), { mode: 0o644 });
}

export function isLaunchAtLogin(options: LaunchAtLoginEnv = {}): boolean {
  const platform = options.platform ?? process.platform;
  if (platform === 'darwin' || platform === 'win32') return app.getLoginItemSettings().openAtLogin;
  return existsSync(autostartFile(options));
}

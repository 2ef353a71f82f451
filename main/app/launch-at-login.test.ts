import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as fake from './test-support/electron-fake';
import { autostartFile, desktopEntry, isLaunchAtLogin, launchCommand, setLaunchAtLogin } from './launch-at-login';
import { tempDir } from './test-support/temp-conf';

vi.mock('electron', () => import('./test-support/electron-fake'));

let dir: string;
let cleanup: () => void;

describe('launch at login', () => {
  beforeEach(() => {
    fake.resetElectronFake();
    ({ dir, cleanup } = tempDir());
  });
  afterEach(() => cleanup());

  it('macOS and Windows use the OS login items', async () => {
    for (const platform of ['darwin', 'win32'] as const) {
      await setLaunchAtLogin(true, { platform });
      expect(fake.app.loginItem.openAtLogin).toBe(true);
      expect(isLaunchAtLogin({ platform })).toBe(true);
      await setLaunchAtLogin(false, { platform });
      expect(isLaunchAtLogin({ platform })).toBe(false);
    }
  });

  it('Linux writes and removes an XDG autostart entry', async () => {
    const opts = { platform: 'linux' as const, env: { XDG_CONFIG_HOME: dir }, command: ['/opt/Switchyard/switchyard'] };
    const file = join(dir, 'autostart', 'switchyard.desktop');
    expect(autostartFile(opts)).toBe(file);
    expect(isLaunchAtLogin(opts)).toBe(false);
    await setLaunchAtLogin(true, opts);
    expect(readFileSync(file, 'utf8')).toContain('Exec=/opt/Switchyard/switchyard\n');
    expect(isLaunchAtLogin(opts)).toBe(true);
    expect(fake.app.loginItem.openAtLogin).toBe(false);
    await setLaunchAtLogin(false, opts);
    expect(existsSync(file)).toBe(false);
    await setLaunchAtLogin(false, opts);
  });

  it('defaults to ~/.config without XDG_CONFIG_HOME', () => {
    expect(autostartFile({ env: {}, homeDir: '/home/alice' })).toBe('/home/alice/.config/autostart/switchyard.desktop');
  });

  it('quotes the command per the Desktop Entry spec', () => {
    const entry = desktopEntry(['/home/a b/Switchyard.AppImage', '--flag=$HOME']);
    expect(entry).toContain('Exec="/home/a b/Switchyard.AppImage" "--flag=\\$HOME"\n');
    expect(entry.startsWith('[Desktop Entry]\nType=Application\n')).toBe(true);
    expect(entry).toContain('Name=Switchyard\n');
  });

  it('runs the AppImage when started from one; electron plus the app folder in development', () => {
    expect(launchCommand({ APPIMAGE: '/apps/Switchyard.AppImage' })).toEqual(['/apps/Switchyard.AppImage']);
    expect(launchCommand({})).toEqual([process.execPath, fake.app.appPath]);
    fake.app.isPackaged = true;
    expect(launchCommand({})).toEqual([process.execPath]);
  });
});

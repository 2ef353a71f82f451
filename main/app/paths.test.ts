import { describe, expect, it } from 'vitest';
import { resolveAppPaths, trayIconFile } from './paths';

describe('app paths', () => {
  const base = { mainDir: '/repo/dist/app', appPath: '/repo', resourcesPath: '/opt/Switchyard/resources', userData: '/home/a/.config/Switchyard' };

  it('development: renderer and preload beside dist/app, icons from resources/icons', () => {
    expect(resolveAppPaths({ ...base, isPackaged: false })).toEqual({
      rendererIndex: '/repo/dist/renderer/index.html',
      preloadPath: '/repo/dist/preload/index.cjs',
      iconsDir: '/repo/resources/icons',
      logsDir: '/home/a/.config/Switchyard/logs',
      userData: '/home/a/.config/Switchyard',
    });
  });

  it('packaged: icons from the resources folder', () => {
    expect(resolveAppPaths({ ...base, isPackaged: true }).iconsDir).toBe('/opt/Switchyard/resources/icons');
  });

  it('macOS tray icons are template images', () => {
    expect(trayIconFile('/i', 'some-blocked', 'darwin')).toBe('/i/tray-some-blockedTemplate.png');
    expect(trayIconFile('/i', 'some-blocked', 'linux')).toBe('/i/tray-some-blocked.png');
  });
});

import { join } from 'node:path';
import type { TrayIconState } from './snapshot-health';

/**
 * Where the built app keeps its parts. main.js is bundled to dist/app/main.js, so the renderer
 * and the preload sit beside it in dist/; icons come from resources/icons in development and
 * from <resources>/icons (electron-builder extraResources) when packaged.
 */

export interface AppPathInputs {
  /** import.meta.dirname of dist/app/main.js */
  mainDir: string;
  /** app.getAppPath(): the folder holding package.json (or the asar) */
  appPath: string;
  isPackaged: boolean;
  /** process.resourcesPath */
  resourcesPath: string;
  /** app.getPath('userData') */
  userData: string;
}

export interface AppPaths {
  rendererIndex: string;
  preloadPath: string;
  iconsDir: string;
  logsDir: string;
  userData: string;
}

export function resolveAppPaths(p: AppPathInputs): AppPaths {
  return {
    rendererIndex: join(p.mainDir, '..', 'renderer', 'index.html'),
    preloadPath: join(p.mainDir, '..', 'preload', 'index.cjs'),
    iconsDir: p.isPackaged ? join(p.resourcesPath, 'icons') : join(p.appPath, 'resources', 'icons'),
    logsDir: join(p.userData, 'logs'),
    userData: p.userData,
  };
}

/** macOS gets template images (black + alpha, tinted by the menu bar); @2x variants load by themselves. */
export function trayIconFile(iconsDir: string, state: TrayIconState, platform: NodeJS.Platform): string {
  return join(iconsDir, platform === 'darwin' ? `tray-${state}Template.png` : `tray-${state}.png`);
}

export function appIconFile(iconsDir: string): string {
  return join(iconsDir, 'icon.png');
}

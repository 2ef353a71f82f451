import { clipboard, dialog } from 'electron';
import type { Engine } from '../core/engine-types';
import type { TrayHandlers } from './tray';
import type { Route } from './window';

/** What each tray menu item does. */

export interface TrayActionDeps {
  engine: Pick<Engine, 'snapshot' | 'startProxy' | 'stopProxy' | 'updateSettings' | 'reset'>;
  windows: { show(route: Route): unknown };
  launchAtLogin: () => boolean;
  secrets: { describe(): string; allowBasicText(): Promise<void> };
  openLogs: () => Promise<unknown>;
  findFreePort: (host: string) => Promise<number>;
  quit: () => void;
  /** Called after something the menu shows but the snapshot does not (e.g. the secrets opt-in). */
  refreshTray: () => void;
}

/** Picks a free port, saves it (the engine moves the listener) and starts the proxy if it is not running. */
export async function useAnotherPort(deps: Pick<TrayActionDeps, 'engine' | 'findFreePort'>): Promise<number> {
  const port = await deps.findFreePort(deps.engine.snapshot().proxy.host);
  await deps.engine.updateSettings({ port });
  if (deps.engine.snapshot().proxy.status !== 'running') await deps.engine.startProxy();
  return port;
}

export async function confirmKeepTokensOnDisk(deps: Pick<TrayActionDeps, 'secrets' | 'refreshTray'>): Promise<boolean> {
  const { response } = await dialog.showMessageBox({
    type: 'warning',
    buttons: ['Keep Tokens on Disk', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    message: 'Store GitHub tokens without a keyring?',
    detail:
      'This system offers no keyring to Switchyard (Electron reports the "basic_text" backend), so tokens ' +
      'would be stored with a fixed, publicly known key: anyone who can read your files could recover them. ' +
      'Without this, tokens are kept in memory and must be added again after each restart.',
  });
  if (response !== 0) return false;
  await deps.secrets.allowBasicText();
  deps.refreshTray();
  return true;
}

export function createTrayActions(deps: TrayActionDeps): TrayHandlers {
  return {
    'start-proxy': () => deps.engine.startProxy(),
    'stop-proxy': () => deps.engine.stopProxy(),
    'use-another-port': async () => {
      await useAnotherPort(deps);
    },
    'open-dashboard': () => void deps.windows.show('dashboard'),
    'open-settings': () => void deps.windows.show('settings'),
    'copy-base-url': () => clipboard.writeText(deps.engine.snapshot().proxy.baseUrl),
    'view-logs': async () => {
      await deps.openLogs();
    },
    'toggle-launch-at-login': async () => {
      await deps.engine.updateSettings({ launchAtLogin: !deps.launchAtLogin() });
    },
    'keep-tokens-on-disk': async () => {
      await confirmKeepTokensOnDisk(deps);
    },
    'reset-account': async ({ account }) => {
      if (account) await deps.engine.reset({ account });
    },
    quit: () => deps.quit(),
  };
}

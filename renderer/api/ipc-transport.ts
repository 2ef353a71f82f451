import type { SwitchyardApi } from '../../shared/api';
import { plainIpcError } from './api-error';

declare global {
  interface Window {
    /** Exposed by the Electron preload: exactly the SwitchyardApi methods. */
    switchyard?: SwitchyardApi;
  }
}

type AsyncMethods = Exclude<keyof SwitchyardApi, 'subscribe'>;

/**
 * SwitchyardApi over the preload's bridge (desktop). Calls go straight through; errors thrown by
 * IPC handlers arrive wrapped by Electron and are turned back into plain words.
 */
export function createIpcTransport(bridge: SwitchyardApi): SwitchyardApi {
  const wrap = <K extends AsyncMethods>(name: K): SwitchyardApi[K] =>
    (async (...args: unknown[]) => {
      try {
        return await (bridge[name] as (...a: unknown[]) => Promise<unknown>)(...args);
      } catch (error) {
        throw plainIpcError(error);
      }
    }) as SwitchyardApi[K];

  return {
    getSnapshot: wrap('getSnapshot'),
    getEvents: wrap('getEvents'),
    getSettings: wrap('getSettings'),
    updateSettings: wrap('updateSettings'),
    addAccount: wrap('addAccount'),
    importFromGh: wrap('importFromGh'),
    listAccounts: wrap('listAccounts'),
    removeAccount: wrap('removeAccount'),
    updateAccount: wrap('updateAccount'),
    reorderAccounts: wrap('reorderAccounts'),
    reset: wrap('reset'),
    startProxy: wrap('startProxy'),
    stopProxy: wrap('stopProxy'),
    generateApiKey: wrap('generateApiKey'),
    clearApiKey: wrap('clearApiKey'),
    subscribe: (listener) => bridge.subscribe(listener),
  };
}

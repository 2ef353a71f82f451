import type { PushMessage, SwitchyardApi } from './api';

/**
 * The Electron IPC contract: one channel per SwitchyardApi method (everything but `subscribe`)
 * and one push channel per PushMessage type. The preload derives `window.switchyard` from these
 * maps and the main process registers one `ipcMain.handle` per entry, so a method without a
 * channel (or a channel without a method) fails to compile on both sides.
 */

/** The name under which the preload exposes the API: `window.switchyard`. */
export const PRELOAD_GLOBAL = 'switchyard';

export type InvokeMethod = Exclude<keyof SwitchyardApi, 'subscribe'>;

export const INVOKE_CHANNELS = {
  getSnapshot: 'switchyard:get-snapshot',
  getEvents: 'switchyard:get-events',
  getSettings: 'switchyard:get-settings',
  updateSettings: 'switchyard:update-settings',
  addAccount: 'switchyard:add-account',
  importFromGh: 'switchyard:import-from-gh',
  listAccounts: 'switchyard:list-accounts',
  removeAccount: 'switchyard:remove-account',
  updateAccount: 'switchyard:update-account',
  reorderAccounts: 'switchyard:reorder-accounts',
  reset: 'switchyard:reset',
  startProxy: 'switchyard:start-proxy',
  stopProxy: 'switchyard:stop-proxy',
  generateApiKey: 'switchyard:generate-api-key',
  clearApiKey: 'switchyard:clear-api-key',
} as const satisfies Record<InvokeMethod, `switchyard:${string}`>;

export type PushType = PushMessage['type'];

export const PUSH_CHANNELS = {
  snapshot: 'switchyard:push:snapshot',
  events: 'switchyard:push:events',
  delta: 'switchyard:push:delta',
} as const satisfies Record<PushType, `switchyard:push:${string}`>;

export type InvokeArgs<M extends InvokeMethod> = Parameters<SwitchyardApi[M]>;
export type InvokeResult<M extends InvokeMethod> = Awaited<ReturnType<SwitchyardApi[M]>>;

/** The message sent on `PUSH_CHANNELS[T]`: the PushMessage of that type, whole. */
export type PushPayload<T extends PushType> = Extract<PushMessage, { type: T }>;

/**
 * Every handler answers with this envelope instead of throwing, so the renderer gets the
 * error in plain words (the preload turns `ok: false` into a thrown Error with `error` as message).
 */
export type IpcReply<T> = { ok: true; value: T } | { ok: false; error: string };

export const INVOKE_METHODS = Object.keys(INVOKE_CHANNELS) as InvokeMethod[];

import type { SwitchyardApi } from '../../shared/api';
import { takeAdminKey } from './admin-key';
import { createHttpTransport } from './http-transport';
import { createIpcTransport } from './ipc-transport';

export type TransportChoice =
  | { kind: 'ipc'; api: SwitchyardApi }
  | { kind: 'http'; api: SwitchyardApi }
  /** Headless, but the page was opened without its admin key. */
  | { kind: 'no-key' };

/** Desktop when the preload exposed `window.switchyard`; otherwise the admin HTTP API. */
export function pickTransport(win: Window = window): TransportChoice {
  if (win.switchyard) return { kind: 'ipc', api: createIpcTransport(win.switchyard) };
  const adminKey = takeAdminKey({ location: win.location, history: win.history, storage: win.sessionStorage });
  if (!adminKey) return { kind: 'no-key' };
  return { kind: 'http', api: createHttpTransport({ origin: win.location.origin, adminKey }) };
}

/**
 * The admin HTTP API (headless dashboard, CLI, browser e2e). Same server as the proxy,
 * loopback only, every route requires the admin key:
 *   Authorization: Bearer <adminKey>   (or header `x-switchyard-admin-key: <adminKey>`)
 * The admin key is generated once per data folder (file `admin.key`); `switchyard serve`
 * prints the dashboard URL carrying it in the fragment: http://127.0.0.1:4000/#key=<adminKey>
 * Errors are OpenAI-shaped. No route ever returns a token.
 *
 * Server-Sent Events at STREAM: `event: snapshot` (data: Snapshot) sent on connect and on every
 * change (coalesced), and `event: event` (data: EngineEvent) for each new event.
 */
export const ADMIN_PREFIX = '/admin/api';

export const ADMIN_ROUTES = {
  snapshot: { method: 'GET', path: `${ADMIN_PREFIX}/snapshot` }, // -> Snapshot
  events: { method: 'GET', path: `${ADMIN_PREFIX}/events` }, // ?limit&account&kind -> EngineEvent[] (newest last)
  getSettings: { method: 'GET', path: `${ADMIN_PREFIX}/settings` }, // -> Settings
  updateSettings: { method: 'PATCH', path: `${ADMIN_PREFIX}/settings` }, // body SettingsPatch -> Settings
  addAccount: { method: 'POST', path: `${ADMIN_PREFIX}/accounts` }, // body AddAccountInput -> AddAccountResult (200 even when ok:false)
  listAccounts: { method: 'GET', path: `${ADMIN_PREFIX}/accounts` }, // -> AccountListing[]
  importFromGh: { method: 'POST', path: `${ADMIN_PREFIX}/accounts/import-gh` }, // -> AddAccountResult
  reorderAccounts: { method: 'PUT', path: `${ADMIN_PREFIX}/accounts/order` }, // body {keys: string[]} -> 204
  updateAccount: { method: 'PATCH', path: `${ADMIN_PREFIX}/accounts/:key` }, // body AccountPatch -> 204
  removeAccount: { method: 'DELETE', path: `${ADMIN_PREFIX}/accounts/:key` }, // -> 204
  reset: { method: 'POST', path: `${ADMIN_PREFIX}/reset` }, // body ResetTarget -> ResetResult
  startProxy: { method: 'POST', path: `${ADMIN_PREFIX}/proxy/start` }, // -> 204
  stopProxy: { method: 'POST', path: `${ADMIN_PREFIX}/proxy/stop` }, // -> 204
  generateApiKey: { method: 'POST', path: `${ADMIN_PREFIX}/api-key` }, // -> {apiKey}
  clearApiKey: { method: 'DELETE', path: `${ADMIN_PREFIX}/api-key` }, // -> 204
  stream: { method: 'GET', path: `${ADMIN_PREFIX}/stream` }, // SSE; also accepts ?key=<adminKey>
} as const;

export const ADMIN_KEY_HEADER = 'x-switchyard-admin-key';

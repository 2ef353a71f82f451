import { ADMIN_ROUTES } from '../../shared/admin-routes';
import type {
  AccountListing,
  AccountPatch,
  AddAccountInput,
  AddAccountResult,
  EventQuery,
  PushMessage,
  ResetResult,
  ResetTarget,
  SwitchyardApi,
} from '../../shared/api';
import type { EngineEvent } from '../../shared/events';
import type { Settings, SettingsPatch } from '../../shared/settings';
import type { Snapshot } from '../../shared/snapshot';
import { ApiError, errorFromResponse, unreachable } from './api-error';
import type { ConnectionAware } from './connection';
import { LiveStream, type Backoff } from './live-stream';

export interface HttpTransportOptions {
  /** Where the admin API is, e.g. `location.origin`. */
  origin: string;
  adminKey: string;
  fetch?: typeof fetch;
  backoff?: Backoff;
}

type Route = (typeof ADMIN_ROUTES)[keyof typeof ADMIN_ROUTES];

/** SwitchyardApi over the admin HTTP API, with pushes over its SSE stream. */
export function createHttpTransport(options: HttpTransportOptions): SwitchyardApi & ConnectionAware {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const origin = options.origin.replace(/\/+$/, '');
  const auth = `Bearer ${options.adminKey}`;

  async function call<T>(route: Route, init: { key?: string; body?: unknown; query?: URLSearchParams } = {}): Promise<T> {
    let path: string = route.path;
    if (init.key !== undefined) path = path.replace(':key', encodeURIComponent(init.key));
    const query = init.query && [...init.query.keys()].length > 0 ? `?${init.query.toString()}` : '';
    const headers: Record<string, string> = { Authorization: auth, Accept: 'application/json' };
    if (init.body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await doFetch(`${origin}${path}${query}`, {
        method: route.method,
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        cache: 'no-store',
      });
    } catch {
      throw unreachable(origin);
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) throw errorFromResponse(response.status, text);
    if (response.status === 204 || text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError('Switchyard sent an answer the dashboard cannot read.', response.status, 'bad_response');
    }
  }

  const live = new LiveStream({
    url: `${origin}${ADMIN_ROUTES.stream.path}`,
    authorization: auth,
    fetch: doFetch,
    backoff: options.backoff,
  });

  return {
    getSnapshot: () => call<Snapshot>(ADMIN_ROUTES.snapshot),
    getEvents(query?: EventQuery) {
      const params = new URLSearchParams();
      if (query?.limit !== undefined) params.set('limit', String(query.limit));
      if (query?.account) params.set('account', query.account);
      if (query?.kind) params.set('kind', query.kind);
      return call<EngineEvent[]>(ADMIN_ROUTES.events, { query: params });
    },
    getSettings: () => call<Settings>(ADMIN_ROUTES.getSettings),
    updateSettings: (patch: SettingsPatch) => call<Settings>(ADMIN_ROUTES.updateSettings, { body: patch }),
    addAccount: (input: AddAccountInput) => call<AddAccountResult>(ADMIN_ROUTES.addAccount, { body: input }),
    importFromGh: () => call<AddAccountResult>(ADMIN_ROUTES.importFromGh, { body: {} }),
    listAccounts: () => call<AccountListing[]>(ADMIN_ROUTES.listAccounts),
    removeAccount: (key: string) => call<void>(ADMIN_ROUTES.removeAccount, { key }),
    updateAccount: (key: string, patch: AccountPatch) => call<void>(ADMIN_ROUTES.updateAccount, { key, body: patch }),
    reorderAccounts: (keys: string[]) => call<void>(ADMIN_ROUTES.reorderAccounts, { body: { keys } }),
    reset: (target: ResetTarget) => call<ResetResult>(ADMIN_ROUTES.reset, { body: target }),
    startProxy: () => call<void>(ADMIN_ROUTES.startProxy, { body: {} }),
    stopProxy: () => call<void>(ADMIN_ROUTES.stopProxy, { body: {} }),
    generateApiKey: () => call<{ apiKey: string }>(ADMIN_ROUTES.generateApiKey, { body: {} }),
    clearApiKey: () => call<void>(ADMIN_ROUTES.clearApiKey),
    subscribe: (listener: (message: PushMessage) => void) => live.subscribe(listener),
    onConnectionChange: (listener) => live.onConnectionChange(listener),
  };
}

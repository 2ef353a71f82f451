import type { AccountSettings } from '../../../shared/settings';
import type { AccountView, ExhaustedModel, SnapshotWarning, TrafficView } from '../../../shared/snapshot';
import type { ResetTarget } from '../../../shared/api';
import type { ProxyError } from '../errors';
import type { ProviderCredentials, ProviderId } from '../providers/types';
import type { CatalogModel, InferenceKind, UpstreamReply } from '../upstream/types';

/** An account as the pool holds it. The token never leaves the pool/upstream layer. */
export interface AccountInput extends AccountSettings {
  token: string;
  /** Whose API the key is for; GitHub Models when absent. */
  provider?: ProviderId;
  /** Addresses and ids the provider needs beside the key (not for GitHub, whose client has its own). */
  creds?: ProviderCredentials;
  /**
   * The quota owner's id when it is known without asking the provider (a declared quota_group, the
   * Cloudflare account, a hash of the key): keys of one owner spend one quota.
   */
  owner?: string;
}

export interface DispatchRequest {
  kind: InferenceKind;
  /** Only accounts of this provider may serve it (GitHub Models when absent). */
  provider?: ProviderId;
  /** Waits for pacing or a reset at most this long (below the setting); 0 for one target of a route. */
  maxWaitMs?: number;
  /** Resolved catalog entry (its `id` is the prefixed id sent upstream). */
  model: CatalogModel;
  /** The request body as it will be sent upstream (model already rewritten to the prefixed id). */
  body: Uint8Array;
  /** The same body as an object, when the caller has it: a provider whose quirks read it is spared a JSON.parse. */
  json?: Record<string, unknown>;
  stream: boolean;
  /** Aborts when the client hangs up: queue waits and the upstream request stop at once. */
  signal: AbortSignal;
  /**
   * The controller of `signal`, lent by a caller that dispatches once: the request's deadline then
   * aborts it (with a DeadlinePassed reason) instead of the pool making a second controller per request.
   */
  controller?: AbortController;
  /** API key or remote address, for per-client accounting. */
  clientId: string;
}

export type DispatchResult = DispatchSuccess | { ok: false; error: ProxyError };

export interface DispatchSuccess {
  ok: true;
  /** Key of the account that served it. */
  account: string;
  /**
   * A 2xx reply whose headers arrived; the proxy streams or reads its body. The request's quota
   * lease ends with the body: read to its end (its reported tokens are counted) or destroyed.
   */
  reply: UpstreamReply;
  attempts: number;
  /** Time spent waiting in queues / for a reset before the request was sent. */
  waitedMs: number;
}

export interface PoolSnapshot {
  accounts: AccountView[];
  currentKey: string | null;
  exhaustedModels: ExhaustedModel[];
  traffic: TrafficView;
  /** One per retired provider. */
  warnings: SnapshotWarning[];
}

export interface Pool {
  /** Replace the account list (order = preference). Unknown logins are resolved with GET /user. */
  setAccounts(accounts: AccountInput[]): Promise<void>;
  dispatch(request: DispatchRequest): Promise<DispatchResult>;
  snapshot(): PoolSnapshot;
  /** Clears cooldowns / forbidden / invalid marks / open circuits for the target; returns how many. */
  reset(target: ResetTarget): Promise<number>;
  /** JSON-safe ledger for persistence, and its restore at start (never rejects). */
  serialize(): Promise<unknown>;
  restore(ledger: unknown): Promise<void>;
  /** Called on every state change a view should see (debounce on the listener side). */
  onChange(listener: () => void): () => void;
  /**
   * The provider said it is gone for good (a 410 from its catalog): every account of it is
   * retired, remembered across restarts. True when this was news.
   */
  retire(provider: ProviderId): boolean;
  /** True once the provider is retired (nothing more is sent to it). */
  isRetired(provider: ProviderId): boolean;
  close(): Promise<void>;
}

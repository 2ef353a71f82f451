import type { EngineEvent, EventKind } from './events';
import type { Plan } from './domain';
import type { ProviderId } from './providers-catalog';
import type { Settings, SettingsPatch } from './settings';
import type { Snapshot } from './snapshot';
import type { SnapshotDelta } from './snapshot-delta';

/**
 * The one typed client the renderer uses. Two transports implement it: Electron IPC
 * (desktop, through the preload) and the admin HTTP API + SSE (headless dashboard).
 * Nothing here ever carries a full token back to a view.
 */
export interface SwitchyardApi {
  getSnapshot(): Promise<Snapshot>;
  getEvents(query?: EventQuery): Promise<EngineEvent[]>;
  getSettings(): Promise<Settings>;
  updateSettings(patch: SettingsPatch): Promise<Settings>;
  /** Checks the token against GitHub (`/user` and a models call) before adding it. */
  addAccount(input: AddAccountInput): Promise<AddAccountResult>;
  /** Reads `gh auth token` when the GitHub CLI is installed, then adds it like addAccount. */
  importFromGh(): Promise<AddAccountResult>;
  /** Every account, in order of preference, with where it comes from (environment accounts cannot be removed here). */
  listAccounts(): Promise<AccountListing[]>;
  removeAccount(key: string): Promise<void>;
  updateAccount(key: string, patch: AccountPatch): Promise<void>;
  reorderAccounts(keys: string[]): Promise<void>;
  reset(target: ResetTarget): Promise<ResetResult>;
  startProxy(): Promise<void>;
  stopProxy(): Promise<void>;
  /** Generates and saves a client API key; returns it once so the view can show/copy it. */
  generateApiKey(): Promise<{ apiKey: string }>;
  clearApiKey(): Promise<void>;
  /** Pushed updates (snapshots and events). Returns an unsubscribe function. */
  subscribe(listener: (message: PushMessage) => void): () => void;
}

export interface EventQuery {
  limit?: number;
  account?: string;
  kind?: EventKind;
}

export interface AddAccountInput {
  token: string;
  plan?: Plan;
  /** Optional id; default GITHUB_TOKEN<n> with the next free n. */
  key?: string;
  /** Default 'github'. The other fields as shared/admin-schema.ts addAccountSchema validates them. */
  provider?: ProviderId;
  baseUrl?: string;
  accountId?: string;
  endpoint?: string;
  quotaGroup?: string;
}

export type AddAccountResult =
  /** `note`: the key belongs to an owner already present (one quota): it is kept as a spare, adding no capacity. */
  | { ok: true; key: string; login: string; masked: string; note?: string }
  | { ok: false; code: AddAccountErrorCode; message: string };

export type AddAccountErrorCode =
  | 'invalid_token'
  | 'duplicate_login'
  | 'duplicate_token'
  | 'no_models_access'
  | 'network'
  | 'gh_not_installed'
  | 'gh_no_token'
  | 'bad_input';

/**
 * Where an account comes from: an environment variable (GITHUB_TOKEN, GROQ_API_KEY, … or the
 * offline demo's), the configuration file, or added here (its token in this computer's secret store).
 */
export type AccountSource = 'environment' | 'config' | 'added';

export interface AccountListing {
  key: string;
  plan: Plan;
  disabled: boolean;
  source: AccountSource;
  /** Set when a key of the same owner comes earlier: this one shares its quota and is kept as a spare. */
  spareOf?: string;
  /** Plain words for a spare ("shares one quota with GROQ_API_KEY (Groq organisation org_…): a spare, no added capacity"). */
  note?: string;
}

export interface AccountPatch {
  plan?: Plan;
  disabled?: boolean;
}

/** No fields: everything (the old `token-emergency.sh emergency`). */
export interface ResetTarget {
  account?: string;
  model?: string;
}

export interface ResetResult {
  /** How many cooldowns, forbidden marks, invalid marks and open circuits were cleared. */
  cleared: number;
}

export type PushMessage =
  | { type: 'snapshot'; snapshot: Snapshot }
  /** Events since the last push, oldest first (batched at the snapshot cadence, bounded). */
  | { type: 'events'; events: EngineEvent[] }
  /** What changed since the snapshot this receiver holds (SSE stream only; shared/snapshot-delta.ts). */
  | { type: 'delta'; delta: SnapshotDelta };

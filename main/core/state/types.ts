import type { EngineEvent } from '../../../shared/events';
import type { Settings } from '../../../shared/settings';

/**
 * Everything the engine persists about quota and history, written atomically and debounced.
 * `ledger` is owned by the pool (its own versioned, JSON-safe shape).
 */
export interface PersistedState {
  version: 1;
  savedAt: number;
  ledger: unknown;
  events: EngineEvent[];
  nextEventId: number;
}

export type LoadOutcome<T> =
  | { status: 'ok'; value: T }
  | { status: 'missing' }
  /** The file was unreadable or invalid: it was moved aside to `setAsidePath`. */
  | { status: 'corrupt'; setAsidePath: string; error: string };

/** Quota state and the event log. `save` is debounced; `flush` writes now and resolves when durable. */
export interface StateStore {
  load(): Promise<LoadOutcome<PersistedState>>;
  save(state: PersistedState): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** Settings; `save` resolves only once the change is durable (acknowledged = on disk). */
export interface SettingsStore {
  load(): Promise<LoadOutcome<Settings>>;
  save(settings: Settings): Promise<void>;
}

/** Tokens by account key. Desktop: safeStorage-encrypted in electron-store. Headless: a 0600 file. */
export interface SecretStore {
  load(): Promise<Record<string, string>>;
  save(secrets: Record<string, string>): Promise<void>;
  /** Plain words about how secrets are kept (shown in settings), e.g. "encrypted with the OS keychain". */
  describe(): string;
}

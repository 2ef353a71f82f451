import type { AddAccountResult, SwitchyardApi } from '../../shared/api';
import type { EngineEvent } from '../../shared/events';
import type { Snapshot } from '../../shared/snapshot';
import type { Logger } from 'pino';
import type { SwitchyardConfig } from './config/config-file';
import type { Redactor } from './mask';
import type { SecretStore, SettingsStore } from './state/types';

/**
 * The engine: proxy + pool + state, one per process. The Electron shell, `switchyard serve`
 * and the admin API are views of it. Everything in SwitchyardApi except `subscribe` is here;
 * live updates come through onSnapshot / onEvent.
 */
export interface Engine extends Omit<SwitchyardApi, 'subscribe' | 'getSnapshot'> {
  /** Listens (the engine is built by `createEngine`) and waits for the accounts' logins. Idempotent. */
  start(): Promise<void>;
  /** Stops accepting, drains in-flight requests (bounded), persists state. Idempotent. */
  shutdown(): Promise<void>;
  snapshot(): Snapshot;
  /** Coalesced: at most one call per tick of changes. Returns an unsubscribe function. */
  onSnapshot(listener: (snapshot: Snapshot) => void): () => void;
  onEvent(listener: (event: EngineEvent) => void): () => void;
  readonly dataDir: string;
  /** This run's id, in every event, log line and `/health`. */
  readonly startId: string;
  /** The admin API key of this data folder (for the dashboard URL). */
  readonly adminKey: string;
}

export interface EngineOptions {
  dataDir: string;
  /** This run's id (`newStartId()`); the shells make it first so that their own log lines carry it. Default: a fresh one. */
  startId?: string;
  /** process.env or a test's own map: GITHUB_TOKEN*, PORT, HOST, throttling, rate limit, base URLs. */
  env: Record<string, string | undefined>;
  /** Overrides: desktop passes electron-store backed stores; headless defaults to files in dataDir. */
  settingsStore?: SettingsStore;
  secretStore?: SecretStore;
  /** CLI flags that win over env and settings. */
  overrides?: { host?: string; port?: number };
  /** A demo run (the shell started the simulator and passes its URL and demo accounts in env): own data folder `simulate/`, flagged in the snapshot. */
  simulate?: boolean;
  /** Directory of the built renderer to serve as the headless dashboard (dist/renderer). */
  dashboardDir?: string | null;
  /** Reads the GitHub CLI's token for importFromGh (the shells pass `gh auth token`); absent: the import is unavailable. */
  readGhToken?: GhTokenReader;
  /** pino logger (redacting); default: silent. */
  logger?: Logger;
  /** The config file (`--config` / SWITCHYARD_CONFIG), parsed: accounts of any provider and routes. */
  config?: SwitchyardConfig | null;
  /** Masks the keys this engine holds wherever text leaves it; the engine feeds it its keys. Pass the logger's; default: its own. */
  redactor?: Redactor;
}

/** A token from the GitHub CLI, or why there is none (in addAccount's failure shape). */
export type GhTokenReader = () => Promise<{ ok: true; token: string } | Extract<AddAccountResult, { ok: false }>>;

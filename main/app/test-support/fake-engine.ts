import { vi } from 'vitest';
import type { Engine } from '../../core/engine-types';
import type { AccountListing } from '../../../shared/api';
import type { EngineEvent } from '../../../shared/events';
import type { Snapshot } from '../../../shared/snapshot';
import { defaultSettings, type Settings } from '../../../shared/settings';
import { makeSnapshot } from './snapshots';

/** An Engine built from the interface: every method a vi.fn, pushes driven by the test. */
export class FakeEngine implements Engine {
  readonly dataDir = '/fake/data';
  readonly adminKey = 'admin-key-for-tests';
  readonly startId = 'fake0001';
  current: Snapshot = makeSnapshot();
  settings: Settings = defaultSettings();
  private snapshotListeners = new Set<(s: Snapshot) => void>();
  private eventListeners = new Set<(e: EngineEvent) => void>();

  start = vi.fn(async () => undefined);
  shutdown = vi.fn(async () => undefined);
  snapshot = vi.fn(() => this.current);
  getEvents = vi.fn(async () => [] as EngineEvent[]);
  getSettings = vi.fn(async () => this.settings);
  updateSettings = vi.fn(async (patch: Partial<Settings>) => {
    this.settings = { ...this.settings, ...patch } as Settings;
    return this.settings;
  });
  addAccount = vi.fn(async (input: { token: string }) => ({ ok: true as const, key: 'GITHUB_TOKEN', login: 'alice', masked: `${input.token.slice(0, 4)}…${input.token.slice(-2)}` }));
  importFromGh = vi.fn(async () => ({ ok: false as const, code: 'gh_not_installed' as const, message: 'The GitHub CLI is not installed.' }));
  listAccounts = vi.fn(async (): Promise<AccountListing[]> => []);
  removeAccount = vi.fn(async () => undefined);
  updateAccount = vi.fn(async () => undefined);
  reorderAccounts = vi.fn(async () => undefined);
  reset = vi.fn(async () => ({ cleared: 1 }));
  startProxy = vi.fn(async () => undefined);
  stopProxy = vi.fn(async () => undefined);
  generateApiKey = vi.fn(async () => ({ apiKey: 'sk-switchyard-test' }));
  clearApiKey = vi.fn(async () => undefined);

  onSnapshot(listener: (s: Snapshot) => void): () => void {
    this.snapshotListeners.add(listener);
    return () => this.snapshotListeners.delete(listener);
  }
  onEvent(listener: (e: EngineEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }
  get listenerCount(): number {
    return this.snapshotListeners.size + this.eventListeners.size;
  }
  emitSnapshot(snapshot: Snapshot): void {
    this.current = snapshot;
    for (const l of this.snapshotListeners) l(snapshot);
  }
  emitEvent(event: EngineEvent): void {
    for (const l of this.eventListeners) l(event);
  }
}

import { vi } from 'vitest';
import type { AccountListing, PushMessage, SwitchyardApi } from '../../shared/api';
import type { Settings } from '../../shared/settings';
import type { Snapshot } from '../../shared/snapshot';
import { makeSettings, makeSnapshot } from './fixtures';

export type FakeApi = { [K in keyof SwitchyardApi]: ReturnType<typeof vi.fn> & SwitchyardApi[K] } & {
  /** Sends a push to every subscriber, as the engine would. */
  push(message: PushMessage): void;
};

/** Every method a vi.fn with a harmless default; tests override what they look at. */
export function fakeApi(init: { snapshot?: Snapshot; settings?: Settings } = {}): FakeApi {
  const listeners = new Set<(message: PushMessage) => void>();
  const snapshot = init.snapshot ?? makeSnapshot();
  const settings = init.settings ?? makeSettings();
  const api = {
    getSnapshot: vi.fn(async () => snapshot),
    getEvents: vi.fn(async () => []),
    getSettings: vi.fn(async () => settings),
    updateSettings: vi.fn(async () => settings),
    addAccount: vi.fn(async () => ({ ok: true as const, key: 'GITHUB_TOKEN', login: 'alice', masked: 'gho_…Xq' })),
    importFromGh: vi.fn(async () => ({ ok: false as const, code: 'gh_not_installed' as const, message: 'The GitHub CLI (gh) is not installed.' })),
    listAccounts: vi.fn(async (): Promise<AccountListing[]> => []),
    removeAccount: vi.fn(async () => undefined),
    updateAccount: vi.fn(async () => undefined),
    reorderAccounts: vi.fn(async () => undefined),
    reset: vi.fn(async () => ({ cleared: 1 })),
    startProxy: vi.fn(async () => undefined),
    stopProxy: vi.fn(async () => undefined),
    generateApiKey: vi.fn(async () => ({ apiKey: 'sy-client-key-1234567890' })),
    clearApiKey: vi.fn(async () => undefined),
    subscribe: vi.fn((listener: (message: PushMessage) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    }),
    push(message: PushMessage) {
      for (const listener of listeners) listener(message);
    },
  };
  return api as unknown as FakeApi;
}

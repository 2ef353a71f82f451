import type { EngineEvent, EventBody } from '../../shared/events';
import { defaultSettings, type Settings } from '../../shared/settings';
import type { AccountView, Snapshot } from '../../shared/snapshot';

export function makeAccount(overrides: Partial<AccountView> = {}): AccountView {
  return {
    key: 'GITHUB_TOKEN',
    login: 'alice',
    avatarUrl: null,
    masked: 'gho_…Xq',
    plan: 'free',
    status: 'ok',
    statusReason: null,
    isCurrent: false,
    disabled: false,
    sharesQuotaWith: [],
    failures: 0,
    circuit: 'closed',
    blocks: [],
    userBlock: null,
    usage: [],
    totals: { served: 0, rateLimited: 0, errors: 0 },
    ...overrides,
  };
}

export function makeSnapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    version: '0.1.0',
    startId: 'run2',
    startedAt: 0,
    generatedAt: 0,
    simulate: false,
    proxy: { status: 'running', host: '127.0.0.1', port: 4000, baseUrl: 'http://127.0.0.1:4000/v1', error: null, apiKeyRequired: false },
    strategy: 'sticky',
    currentKey: null,
    accounts: [],
    exhaustedModels: [],
    traffic: { inFlight: 0, queued: 0, history: [], bucketMs: 300_000 },
    ...overrides,
  };
}

export function makeEvent(id: number, ts: number, body: EventBody, startId = 'run2'): EngineEvent {
  return { id, ts, startId, ...body } as EngineEvent;
}

export function makeSettings(overrides: Partial<Settings> = {}): Settings {
  return { ...defaultSettings(), ...overrides };
}

import type { EngineEvent, EventBody } from '../../shared/events';
import { defaultSettings, type Settings } from '../../shared/settings';
import type { AccountView, Snapshot } from '../../shared/snapshot';
import * as shared from '../../shared/test-support/snapshot-fixtures';

/** The shared builders with the renderer tests' defaults: one account `alice`, start id `run2`, 5-minute buckets. */
export function makeAccount(overrides: Partial<AccountView> = {}): AccountView {
  return shared.makeAccount({ key: 'GITHUB_TOKEN', login: 'alice', ...overrides });
}

export function makeSnapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  return shared.makeSnapshot({ startId: 'run2', traffic: { inFlight: 0, queued: 0, history: [], bucketMs: 300_000 }, ...overrides });
}

export function makeEvent(id: number, ts: number, body: EventBody, startId = 'run2'): EngineEvent {
  return { id, ts, startId, ...body } as EngineEvent;
}

export function makeSettings(overrides: Partial<Settings> = {}): Settings {
  return { ...defaultSettings(), ...overrides };
}

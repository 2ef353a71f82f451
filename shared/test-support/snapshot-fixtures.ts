import type { AccountView, Snapshot } from '../snapshot';

/** Snapshot builders shared by the main-process and renderer tests: a running proxy with no accounts unless given. */

export function makeAccount(overrides: Partial<AccountView> & { key: string }): AccountView {
  return {
    provider: 'github',
    login: null,
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

/** `overrides.proxy` and `proxy` both merge over the default (running) proxy. */
export function makeSnapshot(overrides: Partial<Snapshot> = {}, proxy: Partial<Snapshot['proxy']> = {}): Snapshot {
  return {
    version: '0.1.0',
    startId: 'start-1',
    startedAt: 0,
    generatedAt: 0,
    simulate: false,
    strategy: 'sticky',
    currentKey: null,
    accounts: [],
    exhaustedModels: [],
    warnings: [],
    traffic: { inFlight: 0, queued: 0, history: [], bucketMs: 60_000 },
    routes: [],
    routeTargets: [],
    ...overrides,
    proxy: {
      status: 'running',
      host: '127.0.0.1',
      port: 4000,
      baseUrl: 'http://127.0.0.1:4000/v1',
      error: null,
      apiKeyRequired: false,
      ...overrides.proxy,
      ...proxy,
    },
  };
}

/** The warning a snapshot carries once GitHub Models answers 410 (issue 10, item 7). */
export const RETIRED_WARNING: Snapshot['warnings'][number] = {
  code: 'provider-retired',
  message: 'GitHub retired GitHub Models on 2026-07-30 — add an account of another provider',
};

import type { SimulatorOptions, SimUser } from './options';

/**
 * Demo accounts for `switchyard serve --simulate`: three free-plan users with tiny limits
 * (3 per minute, 12 per day for every model, 2 in flight) so that rotation shows within a minute.
 * The tokens are fake and only the simulator accepts them.
 */
export const DEMO_USERS: readonly SimUser[] = [
  { token: 'ghp_demoAlice00000000000000000000000000Al', login: 'alice', plan: 'free', id: 1001 },
  { token: 'ghp_demoBob000000000000000000000000000Bo', login: 'bob', plan: 'free', id: 1002 },
  { token: 'ghp_demoCarol00000000000000000000000000Ca', login: 'carol', plan: 'free', id: 1003 },
];

/** The demo tokens in account order (alice, bob, carol). */
export const DEMO_TOKENS: readonly string[] = DEMO_USERS.map((u) => u.token);

/** A demo account as the engine's environment names it (GITHUB_TOKEN, GITHUB_TOKEN2, …). */
export interface DemoAccount {
  key: string;
  token: string;
}

/** The demo accounts in order: GITHUB_TOKEN (alice), GITHUB_TOKEN2 (bob), GITHUB_TOKEN3 (carol). */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = DEMO_TOKENS.map((token, i) => ({
  key: i === 0 ? 'GITHUB_TOKEN' : `GITHUB_TOKEN${i + 1}`,
  token,
}));

export const DEMO_LIMITS = { perMinute: 3, perDay: 12, concurrent: 2 } as const;

export interface DemoSetup {
  /** For startSimulator. */
  options: SimulatorOptions;
  /** For the engine's fixed accounts. */
  accounts: DemoAccount[];
}

/** The demo simulator's options and the accounts that use it; `overrides` win (e.g. a port). */
export function demoSimulatorOptions(overrides: Partial<SimulatorOptions> = {}): DemoSetup {
  return {
    options: {
      users: DEMO_USERS.map((u) => ({ ...u })),
      limits: { ...DEMO_LIMITS },
      latencyMs: 120,
      stream: { chunks: 8, chunkDelayMs: 60 },
      rateLimitVariant: 'full',
      ...overrides,
    },
    accounts: DEMO_ACCOUNTS.map((a) => ({ ...a })),
  };
}

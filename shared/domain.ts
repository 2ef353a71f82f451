// Vocabulary shared by the engine, the renderer, the tray and the CLI.

export const PLANS = ['free', 'pro', 'business', 'enterprise'] as const;
export type Plan = (typeof PLANS)[number];

export const STRATEGIES = ['sticky', 'round-robin', 'most-quota'] as const;
/** sticky: stay on the current account until it hits a limit for that model (default). */
export type Strategy = (typeof STRATEGIES)[number];

/** The `x-ratelimit-type` values GitHub Models sends, plus Unknown when none could be read. */
export const LIMIT_TYPES = [
  'UserByModelByDay',
  'UserByModelByMinute',
  'UserByModelByMinuteTokens',
  'UserByMinute',
  /** Owner-wide daily limit of another provider (OpenRouter's `:free` daily pool, Cloudflare's daily neurons); GitHub never sends it. */
  'UserByDay',
  'UserConcurrentRequests',
  'Unknown',
] as const;
export type LimitType = (typeof LIMIT_TYPES)[number];

/** Where a cooldown's reset time was read from. */
export type ResetSource = 'x-ratelimit-timeremaining' | 'retry-after' | 'message' | 'default';

export type CooldownScope = 'model' | 'user' | 'concurrency';

export interface Cooldown {
  /** Epoch milliseconds when the limit resets. */
  until: number;
  limitType: LimitType;
  source: ResetSource;
  scope: CooldownScope;
}

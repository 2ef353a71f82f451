import type { LimitType, Plan, ResetSource, Strategy } from './domain';
import type { RouteView } from './routes';

/**
 * One snapshot of current state feeds every view: the dashboard, the tray, the CLI,
 * `/v1/tokens/stats` and metrics. Times are absolute epoch milliseconds so countdowns
 * stay right across sleep/wake; views derive "resets in …" from `until - now`.
 */
export interface Snapshot {
  version: string;
  /** Random id of this process start; every event and log line carries it. */
  startId: string;
  startedAt: number;
  generatedAt: number;
  simulate: boolean;
  proxy: ProxyView;
  strategy: Strategy;
  /** The account the scheduler would use next (the old system's `current_token`). */
  currentKey: string | null;
  accounts: AccountView[];
  /** Models that no usable account can serve right now, with the earliest reset. */
  exhaustedModels: ExhaustedModel[];
  traffic: TrafficView;
  /** What a person should know that no single account says (a provider retired, an unsafe setting). */
  warnings: SnapshotWarning[];
  /**
   * Every route served now (the person's, then the built-in families with a live target): each
   * target's state and where the route's traffic went. Empty while no provider but GitHub has an account.
   */
  routes: RouteView[];
  /** Every `{provider}/{model}` the providers' catalogs serve, in catalog order: the targets Settings offers. */
  routeTargets: string[];
}

export interface SnapshotWarning {
  /** Stable, for programs: `provider_retired`, … */
  code: string;
  /** Plain words for people. */
  message: string;
}

export type ProxyStatus = 'running' | 'stopped' | 'starting' | 'error';

export interface ProxyView {
  status: ProxyStatus;
  host: string;
  port: number;
  /** e.g. http://127.0.0.1:4000/v1 */
  baseUrl: string;
  /** Plain words when status is 'error' (e.g. "Port 4000 is already in use"). */
  error: string | null;
  apiKeyRequired: boolean;
}

/**
 * ok: usable. cooling: a user-wide limit is active. invalid: upstream said 401 (token must be
 * replaced). disabled: turned off by the user. circuit-open: repeated failures, probing later.
 * checking: login not resolved yet. retired: the provider no longer serves its API (e.g. GitHub Models).
 */
export type AccountStatus = 'ok' | 'cooling' | 'invalid' | 'disabled' | 'circuit-open' | 'checking' | 'retired';

export interface AccountView {
  /** The account's id: its env key (GITHUB_TOKEN, GITHUB_TOKEN2, …) or the key given when added. */
  key: string;
  /** Whose API the key is for: `github`, `groq`, `gemini`, … */
  provider: string;
  /** The quota owner: a GitHub login, or the owner id of another provider (organisation, project, account). */
  login: string | null;
  avatarUrl: string | null;
  /** Masked token, e.g. `gho_…Xq`. The full token never leaves the engine. */
  masked: string;
  plan: Plan;
  status: AccountStatus;
  /** Human words for status (e.g. "Bad credentials"); null when ok. */
  statusReason: string | null;
  isCurrent: boolean;
  disabled: boolean;
  /** Other account keys whose token belongs to the same GitHub login (they share one quota). */
  sharesQuotaWith: string[];
  /** Consecutive failures (the old system's `failures`). */
  failures: number;
  circuit: 'closed' | 'open' | 'half-open';
  /** Per-model blocks: rate-limit cooldowns and models this account is forbidden to use. */
  blocks: ModelBlock[];
  /** A user-wide cooldown (UserByMinute) or concurrency pause, if any. */
  userBlock: UserBlock | null;
  usage: ModelUsage[];
  totals: AccountTotals;
}

export interface ModelBlock {
  model: string;
  reason: 'rate-limit' | 'forbidden';
  limitType: LimitType | null;
  source: ResetSource | 'upstream-403' | null;
  /** Epoch ms; null for forbidden (lasts until reset by hand). */
  until: number | null;
  retryAfterSeconds: number | null;
}

export interface UserBlock {
  limitType: LimitType;
  until: number;
  retryAfterSeconds: number;
  source: ResetSource;
}

export interface ModelUsage {
  model: string;
  /** Requests sent in the current minute / day windows. */
  minute: number;
  day: number;
  /** Tokens used today where upstream reported usage. */
  tokensDay: number;
  inFlight: number;
  /** Forecast limits for this account's plan, when known. */
  limits: { perMinute: number; perDay: number; concurrent: number } | null;
}

export interface AccountTotals {
  served: number;
  rateLimited: number;
  errors: number;
}

export interface ExhaustedModel {
  model: string;
  /** Earliest reset over all accounts (epoch ms), null if none will reset by itself. */
  until: number | null;
}

export interface TrafficView {
  inFlight: number;
  queued: number;
  /** Buckets of requests over the last hours, per account. */
  history: TrafficBucket[];
  bucketMs: number;
}

export interface TrafficBucket {
  /** Bucket start, epoch ms. */
  start: number;
  account: string;
  served: number;
  rotated: number;
  rateLimited: number;
}

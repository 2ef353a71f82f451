import type { LimitType, Plan } from '../../shared/domain';
import { limitsFor, type TierInput } from '../core/limits/table';

/**
 * GitHub Models' quota as the simulator enforces it: pure, no I/O, time from an injected clock.
 *
 * - Per (user login, model id): a minute window (60 s) and a day window (86400 s) of requests, and
 *   optionally a minute window of tokens (UserByModelByMinuteTokens).
 * - Per user: an in-flight cap (UserConcurrentRequests, the model's `concurrent` limit) and
 *   optionally an all-models minute window (UserByMinute).
 * - A window is fixed per key: it opens at the first counted request and closes W seconds later.
 *   Only granted requests count. Logins and model ids are case-insensitive.
 */

/** The limits GitHub Models' simulator counts (GitHub never sent an owner-wide daily 429). */
export type SimLimitType = Exclude<LimitType, 'Unknown' | 'UserByDay'>;

export interface QuotaLimits {
  perMinute: number;
  perDay: number;
  concurrent: number;
  maxInputTokens?: number;
  maxOutputTokens?: number;
}

/** Limits after defaults are applied, as `limitsOf` returns them. */
export interface ResolvedLimits {
  perMinute: number;
  perDay: number;
  concurrent: number;
  maxInputTokens: number;
  maxOutputTokens: number;
  /** null: the tokens-per-minute limit is off for this model. */
  tokensPerMinute: number | null;
}

/**
 * A function decides per (model, plan), null meaning "not available on this plan" (403).
 * A fixed object overrides the documented cells of every model the plan can use.
 */
export type LimitsOverride = ((model: TierInput, plan: Plan) => QuotaLimits | null) | Partial<QuotaLimits>;

export interface QuotaOptions {
  /** Epoch milliseconds. */
  now: () => number;
  /** Default: the documented table (`limitsFor`). */
  limits?: LimitsOverride;
  /** Multiplies the table's perMinute and perDay (rounded, at least 1). Ignored when `limits` is a function. */
  scale?: number;
  /** UserByMinute: requests per minute per user over all models. Off unless set. */
  userPerMinute?: number;
  /** UserByModelByMinuteTokens: tokens per minute per (user, model). Off unless set. */
  tokensPerMinute?: number | ((model: TierInput, plan: Plan) => number | null);
}

export interface QuotaGranted {
  ok: true;
  limits: ResolvedLimits;
  /** Ends the request's in-flight slot. Idempotent. */
  release(): void;
}

export interface QuotaExceeded {
  ok: false;
  status: 429;
  limitType: SimLimitType;
  limit: number;
  /** 60, 86400, or 0 for concurrency. */
  windowSeconds: number;
  /** ceil(seconds until the window closes); 0 for concurrency. */
  waitSeconds: number;
}

export interface QuotaForbidden {
  ok: false;
  status: 403;
}

export type QuotaDecision = QuotaGranted | QuotaExceeded | QuotaForbidden;

export interface WindowUsage {
  count: number;
  /** Epoch ms when the open window closes; null when no window is open. */
  resetsAt: number | null;
}

export interface QuotaUsage {
  minute: WindowUsage;
  day: WindowUsage;
  tokensMinute: WindowUsage;
  /** The user's all-models minute window (counted only when userPerMinute is set). */
  userMinute: WindowUsage;
  /** The user's in-flight requests, all models. */
  inFlight: number;
}

interface Window {
  count: number;
  endsAt: number;
}

/** The open windows as plain JSON: [key, count, endsAt] (in-flight counts are not kept). */
export type GithubQuotaState = Array<[string, number, number]>;

const MINUTE = 60;
const DAY = 86_400;

export const WINDOW_SECONDS: Record<SimLimitType, number> = {
  UserByModelByDay: DAY,
  UserByModelByMinute: MINUTE,
  UserByModelByMinuteTokens: MINUTE,
  UserByMinute: MINUTE,
  UserConcurrentRequests: 0,
};

export class QuotaModel {
  private readonly windows = new Map<string, Window>();
  private readonly inFlight = new Map<string, number>();
  /** Bumped by reset() so that leases granted before it release nothing. */
  private generation = 0;

  constructor(private readonly options: QuotaOptions) {}

  /** The limits the simulator applies to `model` on `plan`; null when the plan cannot use it. */
  limitsOf(model: TierInput, plan: Plan): ResolvedLimits | null {
    const table = limitsFor(model, plan);
    const override = this.options.limits;
    let base: QuotaLimits | null;
    if (typeof override === 'function') base = override(model, plan);
    else if (!table) base = null;
    else {
      const scale = this.options.scale ?? 1;
      const scaled = (n: number) => (scale === 1 ? n : Math.max(1, Math.round(n * scale)));
      base = { ...table, perMinute: scaled(table.perMinute), perDay: scaled(table.perDay), ...override };
    }
    if (!base) return null;
    const tpm = this.options.tokensPerMinute;
    return {
      perMinute: base.perMinute,
      perDay: base.perDay,
      concurrent: base.concurrent,
      maxInputTokens: base.maxInputTokens ?? table?.maxInputTokens ?? Number.POSITIVE_INFINITY,
      maxOutputTokens: base.maxOutputTokens ?? table?.maxOutputTokens ?? Number.POSITIVE_INFINITY,
      tokensPerMinute: (typeof tpm === 'function' ? tpm(model, plan) : tpm) ?? null,
    };
  }

  /**
   * Admits one request of `login` for `model` (counting it) or says which limit refuses it.
   * Checks, most informative first: day, minute, user minute, tokens, concurrency.
   */
  acquire(login: string, plan: Plan, model: TierInput, tokens = 0): QuotaDecision {
    const limits = this.limitsOf(model, plan);
    if (!limits) return { ok: false, status: 403 };
    const user = login.toLowerCase();
    const keys = this.keysFor(user, model.id);
    const now = this.options.now();
    const exceeded = (limitType: SimLimitType, limit: number, key: string): QuotaExceeded => {
      const endsAt = this.live(key, now)?.endsAt ?? now + WINDOW_SECONDS[limitType] * 1000;
      const waitSeconds = Math.max(0, Math.ceil((endsAt - now) / 1000));
      return { ok: false, status: 429, limitType, limit, windowSeconds: WINDOW_SECONDS[limitType], waitSeconds };
    };

    if (this.count(keys.day, now) >= limits.perDay) return exceeded('UserByModelByDay', limits.perDay, keys.day);
    if (this.count(keys.minute, now) >= limits.perMinute) return exceeded('UserByModelByMinute', limits.perMinute, keys.minute);
    const perUser = this.options.userPerMinute;
    if (perUser !== undefined && this.count(keys.user, now) >= perUser) return exceeded('UserByMinute', perUser, keys.user);
    const tpm = limits.tokensPerMinute;
    if (tpm !== null && tokens > 0 && this.count(keys.tokens, now) + tokens > tpm) {
      return exceeded('UserByModelByMinuteTokens', tpm, keys.tokens);
    }
    const busy = this.inFlight.get(user) ?? 0;
    if (busy >= limits.concurrent) {
      return { ok: false, status: 429, limitType: 'UserConcurrentRequests', limit: limits.concurrent, windowSeconds: 0, waitSeconds: 0 };
    }

    this.bump(keys.day, DAY, now, 1);
    this.bump(keys.minute, MINUTE, now, 1);
    if (perUser !== undefined) this.bump(keys.user, MINUTE, now, 1);
    if (tpm !== null && tokens > 0) this.bump(keys.tokens, MINUTE, now, tokens);
    this.inFlight.set(user, busy + 1);

    const generation = this.generation;
    let released = false;
    return {
      ok: true,
      limits,
      release: () => {
        if (released || generation !== this.generation) return;
        released = true;
        const left = (this.inFlight.get(user) ?? 1) - 1;
        if (left > 0) this.inFlight.set(user, left);
        else this.inFlight.delete(user);
      },
    };
  }

  /**
   * Fills a window so that the next request of `login` for `model` gets a 429 of `limitType`
   * (a test helper). An open window keeps its end; otherwise one opens now.
   * Returns false when the limit does not apply (model unavailable, or the limit is off).
   */
  exhaust(login: string, plan: Plan, model: TierInput, limitType: Exclude<SimLimitType, 'UserConcurrentRequests'>): boolean {
    const limits = this.limitsOf(model, plan);
    if (!limits) return false;
    const keys = this.keysFor(login.toLowerCase(), model.id);
    const target: Record<typeof limitType, [string, number | null | undefined]> = {
      UserByModelByDay: [keys.day, limits.perDay],
      UserByModelByMinute: [keys.minute, limits.perMinute],
      UserByMinute: [keys.user, this.options.userPerMinute],
      UserByModelByMinuteTokens: [keys.tokens, limits.tokensPerMinute],
    };
    const [key, limit] = target[limitType];
    if (limit === null || limit === undefined) return false;
    const now = this.options.now();
    const window = this.live(key, now) ?? { count: 0, endsAt: now + WINDOW_SECONDS[limitType] * 1000 };
    window.count = Math.max(window.count, limit);
    this.windows.set(key, window);
    return true;
  }

  usage(login: string, modelId: string): QuotaUsage {
    const user = login.toLowerCase();
    const keys = this.keysFor(user, modelId);
    const now = this.options.now();
    const read = (key: string): WindowUsage => {
      const w = this.live(key, now);
      return w ? { count: w.count, resetsAt: w.endsAt } : { count: 0, resetsAt: null };
    };
    return {
      minute: read(keys.minute),
      day: read(keys.day),
      tokensMinute: read(keys.tokens),
      userMinute: read(keys.user),
      inFlight: this.inFlight.get(user) ?? 0,
    };
  }

  /** The open windows, for saving. */
  snapshot(): GithubQuotaState {
    const now = this.options.now();
    return [...this.windows].filter(([, w]) => w.endsAt > now).map(([key, w]) => [key, w.count, w.endsAt]);
  }

  /** Adds saved windows (those already closed are dropped on first use). */
  restore(state: GithubQuotaState): void {
    for (const [key, count, endsAt] of state) {
      if (typeof key === 'string' && Number.isFinite(count) && Number.isFinite(endsAt)) this.windows.set(key, { count, endsAt });
    }
  }

  /** Forgets every window and in-flight count; leases granted earlier release nothing. */
  reset(): void {
    this.windows.clear();
    this.inFlight.clear();
    this.generation += 1;
  }

  private keysFor(user: string, modelId: string) {
    const model = modelId.toLowerCase();
    return {
      day: `d\n${user}\n${model}`,
      minute: `m\n${user}\n${model}`,
      tokens: `t\n${user}\n${model}`,
      user: `u\n${user}`,
    };
  }

  private live(key: string, now: number): Window | undefined {
    const w = this.windows.get(key);
    if (w && now >= w.endsAt) {
      this.windows.delete(key);
      return undefined;
    }
    return w;
  }

  private count(key: string, now: number): number {
    return this.live(key, now)?.count ?? 0;
  }

  private bump(key: string, seconds: number, now: number, amount: number): void {
    const w = this.live(key, now);
    if (w) w.count += amount;
    else this.windows.set(key, { count: amount, endsAt: now + seconds * 1000 });
  }
}

import type { SimContext } from './context';
import type { FailNextOptions, ScriptedFault } from './faults';
import type { RandomFaultOptions, RateLimitVariant, SimUser, StreamOptions } from './options';
import type { QuotaModel, QuotaUsage, SimLimitType } from './quota';

/** What tests (and demos) may change on a running simulator. */
export interface SimulatorControl {
  /** Scripts the next matching request(s) to fail; see FailNextOptions for filters and shape. */
  failNext(fault: ScriptedFault, options?: FailNextOptions): void;
  /** Drops scripted faults that have not fired yet. */
  clearFaults(): void;
  /** Replaces the random fault settings (restarting the PRNG from their seed). */
  setRandomFaults(faults: RandomFaultOptions): void;
  setUsers(users: SimUser[]): void;
  addUser(user: SimUser): void;
  /** Forgets a token, or every token of a login: its requests then get 401. */
  removeUser(tokenOrLogin: string): void;
  /** Forgets every quota window and in-flight count. */
  resetQuota(): void;
  /** Zeroes stats() counters and the request log. */
  resetStats(): void;
  /**
   * Makes the next request of `login` for `model` (prefixed id) get a 429 of `limitType`
   * (default UserByModelByDay) until the window closes. False when that limit does not apply.
   */
  exhaust(login: string, model: string, limitType?: Exclude<SimLimitType, 'UserConcurrentRequests'>): boolean;
  usage(login: string, model: string): QuotaUsage;
  setLatency(ms: number): void;
  setStream(stream: StreamOptions): void;
  setRateLimitVariant(variant: RateLimitVariant): void;
  /** The quota model itself, for inspection. */
  readonly quota: QuotaModel;
}

export function createControl(ctx: SimContext): SimulatorControl {
  return {
    failNext: (fault, options) => ctx.faults.failNext(fault, options),
    clearFaults: () => ctx.faults.clear(),
    setRandomFaults: (faults) => ctx.faults.setRandom(faults),
    setUsers: (users) => ctx.users.set(users),
    addUser: (user) => ctx.users.add(user),
    removeUser: (tokenOrLogin) => ctx.users.remove(tokenOrLogin),
    resetQuota: () => ctx.quota.reset(),
    resetStats: () => ctx.stats.reset(),
    exhaust: (login, model, limitType = 'UserByModelByDay') => {
      const user = ctx.users.byLogin(login);
      const entry = ctx.models.find(model) ?? { id: model };
      return ctx.quota.exhaust(login, user?.plan ?? 'free', entry, limitType);
    },
    usage: (login, model) => ctx.quota.usage(login, model),
    setLatency: (ms) => {
      ctx.settings.latencyMs = Math.max(0, ms);
    },
    setStream: (stream) => {
      if (stream.chunks !== undefined) ctx.settings.chunks = Math.max(1, stream.chunks);
      if (stream.chunkDelayMs !== undefined) ctx.settings.chunkDelayMs = Math.max(0, stream.chunkDelayMs);
      if (stream.ping !== undefined) ctx.settings.ping = stream.ping;
    },
    setRateLimitVariant: (variant) => {
      ctx.settings.rateLimitVariant = variant;
    },
    quota: ctx.quota,
  };
}

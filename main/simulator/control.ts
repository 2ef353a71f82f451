import type { SimContext } from './context';
import type { FailNextOptions, ScriptedFault } from './faults';
import type { RandomFaultOptions, RateLimitVariant, SimUser, StreamOptions } from './options';
import type { ProviderFault, ProviderFaultOptions, ProviderSettings } from './providers/runtime';
import { DIALECTS } from './providers/registry';
import type { MeterView, ProviderKey, SimProviderId } from './providers/types';
import type { QuotaModel, QuotaUsage, SimLimitType } from './quota';
import type { SimulatorState } from './state';

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
  /** GitHub Models retired: inference and the catalog answer 410, GET /user still 200. */
  setGithubRetired(retired: boolean): void;
  addKey(key: ProviderKey): void;
  /** Forgets a provider key: its requests then get that provider's 401. */
  removeKey(provider: SimProviderId, key: string): void;
  /** Merges limits, models or fault rates into a provider's settings. */
  configureProvider(provider: SimProviderId, settings: ProviderSettings): void;
  /** Scripts the provider's next matching request(s) to get a fault (capacity, mid-stream error, 5xx, hang). */
  failProviderNext(provider: SimProviderId, fault: ProviderFault, options?: ProviderFaultOptions): void;
  /** The counters of (owner, model) as the provider counts them (owner-wide ones included). */
  providerUsage(provider: SimProviderId, owner: string, model: string): MeterView[];
  /**
   * Fills one counter of (owner, model) — e.g. 'rpd', 'free-models-per-day', 'neurons' — so the
   * next request is refused by it. False when the provider has no such counter for that model.
   */
  fillProvider(provider: SimProviderId, owner: string, model: string, meter: string): boolean;
  /** Everything counted so far, to pass back as `options.state` after a restart. */
  saveState(): SimulatorState;
}

export function createControl(ctx: SimContext): SimulatorControl {
  return {
    failNext: (fault, options) => ctx.faults.failNext(fault, options),
    clearFaults: () => {
      ctx.faults.clear();
      ctx.providers.clearFaults();
    },
    setRandomFaults: (faults) => ctx.faults.setRandom(faults),
    setUsers: (users) => ctx.users.set(users),
    addUser: (user) => ctx.users.add(user),
    removeUser: (tokenOrLogin) => ctx.users.remove(tokenOrLogin),
    resetQuota: () => {
      ctx.quota.reset();
      ctx.providers.reset();
    },
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
    setGithubRetired: (retired) => {
      ctx.settings.githubRetired = retired;
    },
    addKey: (key) => ctx.providers.addKey(key),
    removeKey: (provider, key) => ctx.providers.removeKey(provider, key),
    configureProvider: (provider, settings) => ctx.providers.configure(provider, settings),
    failProviderNext: (provider, fault, options) => ctx.providers.failNext(provider, fault, options),
    providerUsage: (provider, owner, model) => {
      const specs = providerMeters(ctx, provider, owner, model);
      return specs.map((spec) => ctx.providers.meters.view(provider, owner, model, spec));
    },
    fillProvider: (provider, owner, model, meter) => {
      const spec = providerMeters(ctx, provider, owner, model).find((s) => s.name === meter);
      if (!spec) return false;
      ctx.providers.meters.fill(provider, owner, model, spec);
      return true;
    },
    saveState: () => ({ version: 1, savedAt: ctx.now(), github: ctx.quota.snapshot(), providers: ctx.providers.snapshot() }),
  };
}

function providerMeters(ctx: SimContext, provider: SimProviderId, owner: string, modelId: string) {
  const dialect = DIALECTS[provider];
  const models = ctx.providers.settingsOf(provider).models ?? dialect.models;
  const model = models.find((m) => m.id.toLowerCase() === modelId.toLowerCase()) ?? { id: modelId };
  const limits = ctx.providers.limitsOf(provider, dialect.defaultLimits, model);
  return dialect.meters(limits, model, ctx.providers.keyOfOwner(provider, owner));
}

import { mulberry32 } from '../prng';
import { Meters, type MetersState } from './meters';
import type { ProviderKey, ProviderLimits, SimModel, SimProviderId } from './types';

/** Faults a test scripts on a provider (or draws at random): not the account's quota. */
export type ProviderFault =
  /** The provider's own "busy" answer: Cerebras queue_exceeded, OpenRouter upstream 429, Mistral capacity, … */
  | 'capacity'
  /** OpenRouter-style: HTTP 200, one chunk, then an error chunk with finish_reason "error". */
  | 'mid-stream-error'
  /** The provider's own 429 for the first limit, announcing an absurd reset (≈ 31 years) in its own fields. */
  | 'absurd-reset'
  | '500'
  | '503'
  | 'hang';

export interface ProviderFaultOptions {
  count?: number;
  model?: string;
  owner?: string;
}

/** Per-provider settings: limit overrides, models, random fault rates. */
export interface ProviderSettings {
  /** Over the provider's defaults, for every model. */
  limits?: ProviderLimits;
  /** Per model id (case-insensitive), over `limits`. */
  modelLimits?: Record<string, ProviderLimits>;
  /** Replaces the provider's model list. */
  models?: SimModel[];
  /** Probability per request of the provider's capacity answer (OpenRouter: upstream 429s that hit every key). */
  capacityRate?: number;
  /** Probability per request of a 503 (NVIDIA's occasional 503s). */
  serverErrorRate?: number;
  /** Probability per streamed request of a mid-stream error chunk. */
  midStreamErrorRate?: number;
  /** PRNG seed for the rates. Default 1. */
  seed?: number;
}

interface Scripted {
  fault: ProviderFault;
  left: number;
  options: ProviderFaultOptions;
}

/** Everything the provider dialects share in one simulator: keys, counters, settings, faults. */
export class ProviderRuntime {
  readonly meters: Meters;
  private readonly keys = new Map<string, ProviderKey>();
  private readonly settings = new Map<SimProviderId, ProviderSettings>();
  private readonly rngs = new Map<SimProviderId, () => number>();
  private scripted: Array<Scripted & { provider: SimProviderId }> = [];
  /** OpenRouter: (model) → epoch ms until which the upstream provider throttles it for everyone. */
  readonly upstreamThrottles = new Map<string, number>();

  constructor(
    readonly now: () => number,
    keys: readonly ProviderKey[] = [],
    settings: Partial<Record<SimProviderId, ProviderSettings>> = {},
  ) {
    this.meters = new Meters(now);
    for (const key of keys) this.addKey(key);
    for (const [id, s] of Object.entries(settings)) if (s) this.configure(id as SimProviderId, s);
  }

  addKey(key: ProviderKey): void {
    this.keys.set(`${key.provider}\n${key.key}`, { ...key });
  }

  /** Forgets a key: its requests then get the provider's 401. */
  removeKey(provider: SimProviderId, key: string): void {
    this.keys.delete(`${provider}\n${key}`);
  }

  find(provider: SimProviderId, token: string | null): ProviderKey | null {
    return token ? (this.keys.get(`${provider}\n${token}`) ?? null) : null;
  }

  /** A key of `owner` (the first added), for what depends on the account (OpenRouter's credits flag). */
  keyOfOwner(provider: SimProviderId, owner: string): ProviderKey {
    const lower = owner.toLowerCase();
    for (const key of this.keys.values()) if (key.provider === provider && key.owner.toLowerCase() === lower) return key;
    return { provider, owner, key: '' };
  }

  /** Merges `settings` into the provider's (limits merge field by field). */
  configure(provider: SimProviderId, settings: ProviderSettings): void {
    const old = this.settings.get(provider) ?? {};
    const modelLimits = { ...old.modelLimits };
    for (const [id, l] of Object.entries(settings.modelLimits ?? {})) modelLimits[id.toLowerCase()] = { ...modelLimits[id.toLowerCase()], ...l };
    this.settings.set(provider, { ...old, ...settings, limits: { ...old.limits, ...settings.limits }, modelLimits });
    if (settings.seed !== undefined || !this.rngs.has(provider)) this.rngs.set(provider, mulberry32(settings.seed ?? 1));
  }

  settingsOf(provider: SimProviderId): ProviderSettings {
    return this.settings.get(provider) ?? {};
  }

  /** The limits of `model`: the provider's defaults, its model's own, then the overrides. */
  limitsOf(provider: SimProviderId, defaults: ProviderLimits, model: SimModel | null): ProviderLimits {
    const s = this.settingsOf(provider);
    return { ...defaults, ...model?.limits, ...s.limits, ...(model ? s.modelLimits?.[model.id.toLowerCase()] : undefined) };
  }

  failNext(provider: SimProviderId, fault: ProviderFault, options: ProviderFaultOptions = {}): void {
    this.scripted.push({ provider, fault, left: options.count ?? 1, options });
  }

  clearFaults(): void {
    this.scripted = [];
  }

  /** The fault for this request: scripted first, then drawn from the provider's rates. */
  nextFault(provider: SimProviderId, owner: string, model: string, stream: boolean): ProviderFault | null {
    const i = this.scripted.findIndex(
      (s) =>
        s.provider === provider &&
        (s.options.model === undefined || s.options.model.toLowerCase() === model.toLowerCase()) &&
        (s.options.owner === undefined || s.options.owner.toLowerCase() === owner.toLowerCase()) &&
        (s.fault !== 'mid-stream-error' || stream),
    );
    const entry = this.scripted[i];
    if (entry) {
      entry.left -= 1;
      if (entry.left <= 0) this.scripted.splice(i, 1);
      return entry.fault;
    }
    const s = this.settingsOf(provider);
    const rng = this.rngs.get(provider);
    if (!rng) return null;
    if (s.capacityRate && rng() < s.capacityRate) return 'capacity';
    if (s.serverErrorRate && rng() < s.serverErrorRate) return '503';
    if (stream && s.midStreamErrorRate && rng() < s.midStreamErrorRate) return 'mid-stream-error';
    return null;
  }

  reset(): void {
    this.meters.reset();
    this.upstreamThrottles.clear();
  }

  snapshot(): { meters: MetersState; throttles: Array<[string, number]> } {
    return { meters: this.meters.snapshot(), throttles: [...this.upstreamThrottles] };
  }

  restore(state: { meters?: MetersState; throttles?: Array<[string, number]> }): void {
    if (Array.isArray(state.meters)) this.meters.restore(state.meters);
    for (const [model, until] of state.throttles ?? []) if (until > this.now()) this.upstreamThrottles.set(model, until);
  }
}

import { keyFingerprint } from '../../main/core/providers/owners';
import type { RouteDefinition } from '../../main/core/routes';
import { mulberry32 } from '../../main/simulator/prng';
import type { ProviderSettings } from '../../main/simulator/providers/runtime';
import type { ProviderKey, SimProviderId } from '../../main/simulator/providers/types';
import type { AccountInput } from '../../main/core/pool';
import { ownerCapacity, type OwnerModel } from './provider-capacity';
import { benchCreds, type ProviderQuotaUpstream } from './provider-upstream';
import type { BurstSpec } from './scenarios';

/** One key at a provider, and who owns its quota there (keys of one owner share it). */
export interface ProviderAccount {
  /** As the environment names it: GROQ_API_KEY, GROQ_API_KEY2, … */
  id: string;
  provider: SimProviderId;
  /** Fake, only the bench's upstream accepts it. */
  key: string;
  /** The owner at the provider (a Groq organisation, a Gemini project, an OpenRouter account). */
  owner: string;
  /** What a person declares in the config file (Gemini projects): the engine is told this owner. */
  quotaGroup?: string;
  /** OpenRouter: 10 credits bought (1000 `:free` requests a day). */
  creditsPurchased?: boolean;
}

export interface TargetRef {
  provider: SimProviderId;
  model: string;
}

/** Demand for one model name a client sends: an explicit `{provider}/{model}` or a route. */
export interface ProviderDemand {
  name: string;
  /** Where it can be served, in the route's order. */
  targets: TargetRef[];
  /** Base Poisson demand, requests a day (bursts come on top). */
  perDay: number;
  /** Upstream time to answer a served request, uniform per call (ms). */
  latencyMs: [number, number];
}

export interface ProviderScenario {
  name: string;
  seed: number;
  accounts: ProviderAccount[];
  settings: Partial<Record<SimProviderId, ProviderSettings>>;
  demands: ProviderDemand[];
  /** Routes as Settings would hold them. */
  routes: RouteDefinition[];
  bursts: BurstSpec | null;
  durationSeconds: number;
}

export interface ProviderArrival {
  id: number;
  atMs: number;
  demand: number;
}

const exponential = (random: () => number, mean: number) => -Math.log(1 - random()) * mean;

/** Poisson arrivals per demand, plus bursts (for one demand, picked by its rate); sorted, deterministic per seed. */
export function providerArrivals(s: ProviderScenario): ProviderArrival[] {
  const random = mulberry32(s.seed);
  const endMs = s.durationSeconds * 1000;
  const raw: Array<Omit<ProviderArrival, 'id'>> = [];
  const rates = s.demands.map((d) => d.perDay / 86_400);
  rates.forEach((rate, demand) => {
    if (!(rate > 0)) return;
    for (let t = exponential(random, 1000 / rate); t < endMs; t += exponential(random, 1000 / rate)) raw.push({ atMs: Math.floor(t), demand });
  });
  if (s.bursts) {
    const total = rates.reduce((a, b) => a + b, 0);
    const { meanGapSeconds, size, spreadSeconds } = s.bursts;
    for (let t = exponential(random, meanGapSeconds * 1000); t < endMs; t += exponential(random, meanGapSeconds * 1000)) {
      let pick = random() * total;
      let demand = 0;
      while (demand < rates.length - 1 && pick >= rates[demand]!) pick -= rates[demand++]!;
      const n = size[0] + Math.floor(random() * (size[1] - size[0] + 1));
      for (let i = 0; i < n; i++) {
        const at = Math.floor(t + random() * spreadSeconds * 1000);
        if (at < endMs) raw.push({ atMs: at, demand });
      }
    }
  }
  raw.sort((a, b) => a.atMs - b.atMs || a.demand - b.demand);
  return raw.map((a, id) => ({ id, ...a }));
}

/** The OpenAI-shaped body a client sends for arrival `id` (its own conversation: distinct text). */
export function clientBody(name: string, id: number): Record<string, unknown> {
  return { model: name, messages: [{ role: 'user', content: `Say ok. (${id})` }], user: `req-${id}` };
}

/** The simulator's keys for a scenario. */
export function simKeys(s: ProviderScenario): ProviderKey[] {
  return s.accounts.map((a) => ({ provider: a.provider, key: a.key, owner: a.owner, ...(a.creditsPurchased ? { creditsPurchased: true } : {}) }));
}

/** The pool's accounts, with the owner as the account book would give it (a declared group, else a key stand-in). */
export function poolAccounts(s: ProviderScenario): AccountInput[] {
  return s.accounts.map((a) => ({
    key: a.id,
    token: a.key,
    plan: 'free',
    disabled: false,
    provider: a.provider,
    creds: benchCreds(a.provider, a.key),
    owner: a.quotaGroup ? `group:${a.quotaGroup}` : keyFingerprint(a.key),
  }));
}

/** Distinct owners of a provider, each with one of its keys. */
export function ownersOf(s: ProviderScenario, provider: SimProviderId): ProviderAccount[] {
  const seen = new Map<string, ProviderAccount>();
  for (const a of s.accounts) if (a.provider === provider && !seen.has(a.owner.toLowerCase())) seen.set(a.owner.toLowerCase(), a);
  return [...seen.values()];
}

export interface OwnerCapacity {
  /** `provider:owner`. */
  owner: string;
  /** Keys of this owner in the scenario (more than one: one quota, the others spares). */
  keys: string[];
  capacity: number;
}

export interface ScenarioCapacity {
  /** What the owners' limits allow over the day, at most what was offered. */
  total: number;
  owners: OwnerCapacity[];
}

/**
 * Capacity per owner as its provider counts it (provider-capacity.ts), for the models the demands
 * ask of it; the scenario's is the smaller of what the owners allow and, per demand, what was
 * offered (a demand can use only its targets' owners).
 */
export function scenarioCapacity(s: ProviderScenario, upstream: ProviderQuotaUpstream, offered: readonly number[], startMs: number): ScenarioCapacity {
  const durationMs = s.durationSeconds * 1000;
  const providers = [...new Set(s.demands.flatMap((d) => d.targets.map((t) => t.provider)))];
  const owners: OwnerCapacity[] = [];
  const perTargetOwner = new Map<string, number>();
  for (const provider of providers) {
    const models = [...new Set(s.demands.flatMap((d) => d.targets.filter((t) => t.provider === provider).map((t) => t.model)))];
    for (const account of ownersOf(s, provider)) {
      const key = upstream.runtime.find(provider, account.key)!;
      const list: OwnerModel[] = models.map((model) => {
        const c = upstream.charging(provider, key, upstream.built(provider, account.key, clientBody(model, 0)), 'chat');
        if (!c) throw new Error(`bench: ${provider} does not serve ${model}`);
        // Token meters count what an answer really used: a reservation (Cerebras) is given back.
        const amounts = { ...c.admission, countedTokens: c.usedTokens };
        return { model, meters: c.specs.map((spec) => ({ spec, amount: spec.unit === 'requests' ? 1 : amounts.countedTokens })) };
      });
      const cap = ownerCapacity(list, startMs, durationMs);
      for (const [model, n] of Object.entries(cap.perModel)) perTargetOwner.set(`${provider}|${account.owner}|${model}`, Math.min(n, cap.total));
      const keys = s.accounts.filter((a) => a.provider === provider && a.owner.toLowerCase() === account.owner.toLowerCase()).map((a) => a.id);
      owners.push({ owner: `${provider}:${account.owner}`, keys, capacity: cap.total });
    }
  }
  const byDemand = s.demands.reduce((sum, d, i) => {
    const reach = d.targets.reduce((n, t) => n + ownersOf(s, t.provider).reduce((m, o) => m + (perTargetOwner.get(`${t.provider}|${o.owner}|${t.model}`) ?? 0), 0), 0);
    return sum + Math.min(offered[i] ?? 0, reach);
  }, 0);
  const byOwner = owners.reduce((n, o) => n + o.capacity, 0);
  return { total: Math.min(byDemand, byOwner), owners };
}

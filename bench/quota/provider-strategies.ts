import { defaultSettings } from '../../shared/settings';
import { createPool } from '../../main/core/pool';
import { providerFor } from '../../main/core/providers/index';
import { dispatchPlan } from '../../main/core/proxy/inference';
import type { ProviderRouting } from '../../main/core/proxy/deps';
import { buildRouteTable, resolveModel, RoutePlanner, RouteTraffic, type ProviderCatalog, type RouteTable } from '../../main/core/routes';
import type { SimProviderId } from '../../main/simulator/providers/types';
import { poolAccounts, type ProviderDemand, type ProviderScenario, type TargetRef } from './provider-scenario';
import { benchCreds, type ProviderQuotaUpstream } from './provider-upstream';
import type { SimClock } from './sim-clock';
import type { ClientAnswer } from './strategy';

/** A client request of a provider scenario. */
export interface ProviderClientRequest {
  id: number;
  demand: ProviderDemand;
  /** OpenAI-shaped, `model` = the demand's name. */
  body: Record<string, unknown>;
}

export interface ProviderStrategyEnv {
  clock: SimClock;
  upstream: ProviderQuotaUpstream;
  scenario: ProviderScenario;
  maxWaitMs: number;
}

export interface ProviderStrategy {
  handle(request: ProviderClientRequest): Promise<ClientAnswer>;
  close(): Promise<void>;
}

export interface ProviderStrategyDef {
  id: string;
  label: string;
  create(env: ProviderStrategyEnv): Promise<ProviderStrategy>;
}

const bytes = (body: Record<string, unknown>) => Buffer.from(JSON.stringify(body));

/** The catalogs as the engine holds them: each provider with an account, its models list read by its descriptor. */
function catalogsOf(scenario: ProviderScenario, upstream: ProviderQuotaUpstream): ProviderCatalog[] {
  const providers = [...new Set(scenario.accounts.map((a) => a.provider))];
  return providers.map((provider) => ({ provider, models: upstream.catalog(provider) }));
}

/**
 * The real engine: the pool (main/core/pool) with default settings on the virtual clock, the
 * route table built from the providers' catalogs and the scenario's routes, and the proxy's own
 * model planning (resolveModel + dispatchPlan: one target with the pool's bounded wait, a route
 * across its targets). With `only`, every request names that provider's target explicitly, as a
 * person with that provider alone would send it.
 */
export function providerEngine(only?: SimProviderId): ProviderStrategyDef {
  return {
    id: only ? `switchyard-${only}-only` : 'switchyard',
    label: only ? `Switchyard engine, ${providerFor(only).name} alone` : 'Switchyard engine (pool + routes)',
    async create({ clock, upstream, scenario, maxWaitMs }) {
      const settings = { ...defaultSettings() };
      const pool = createPool({ upstream, clock, settings: () => settings, emit: () => {} });
      const accounts = poolAccounts(scenario).filter((a) => !only || a.provider === only);
      await pool.setAccounts(accounts);
      const table: RouteTable = buildRouteTable({
        settings: scenario.routes,
        families: [],
        catalogs: catalogsOf(scenario, upstream).filter((c) => !only || c.provider === only),
        normalize: (provider, id) => providerFor(provider).normalizeModelId(id),
      });
      const routing: ProviderRouting = {
        table: () => table,
        planner: new RoutePlanner(clock),
        traffic: new RouteTraffic(),
        clock,
        githubServes: () => false,
        githubAccounts: () => false,
        bareIdFallback: () => true,
      };
      return {
        async handle(request) {
          const target = only ? request.demand.targets.find((t) => t.provider === only) : undefined;
          const name = target ? `${target.provider}/${target.model}` : request.demand.name;
          const resolved = resolveModel(table, name, { bareIdFallback: true });
          if (!resolved.ok) return { status: resolved.error.status, retryAfterSeconds: null };
          const signal = new AbortController().signal;
          const { result } = await dispatchPlan(pool, { kind: 'providers', plan: resolved.plan }, routing, request.body, maxWaitMs, signal, (model) => ({
            kind: 'chat',
            model,
            body: bytes({ ...request.body, model: model.id }),
            stream: false,
            signal,
            clientId: 'bench',
          }));
          if (!result.ok) return { status: result.error.status, retryAfterSeconds: result.error.retryAfterSeconds };
          for await (const chunk of result.reply.body) void chunk;
          return { status: 200, retryAfterSeconds: null };
        },
        async close() {
          await pool.close();
        },
      };
    },
  };
}

/** Every (key, target) pair that can serve a demand, targets in order, keys in scenario order. */
function pairsOf(scenario: ProviderScenario, demand: ProviderDemand): Array<{ key: string; target: TargetRef }> {
  return demand.targets.flatMap((target) => scenario.accounts.filter((a) => a.provider === target.provider).map((a) => ({ key: a.key, target })));
}

async function callPair(upstream: ProviderQuotaUpstream, pair: { key: string; target: TargetRef }, request: ProviderClientRequest): Promise<number> {
  const reply = await upstream.send('chat', pair.key, bytes({ ...request.body, model: pair.target.model }), new AbortController().signal, false, {
    provider: pair.target.provider,
    creds: benchCreds(pair.target.provider, pair.key),
  });
  for await (const chunk of reply.body) void chunk;
  return reply.status;
}

/**
 * Baselines over the same keys, every key counted as capacity (an owner's second key too).
 * Round robin: each request goes to the next (key, target) in turn, once; what upstream answers
 * is what the client gets. Retry-on-429: from the next pair in turn, a 429 (or any failure) moves
 * on to the following pair, without remembering anything; the client hears 429 once every pair
 * refused.
 */
function baseline(id: string, label: string, retry: boolean): ProviderStrategyDef {
  return {
    id,
    label,
    async create({ upstream, scenario }) {
      const next = new Map<string, number>();
      return {
        async handle(request) {
          const pairs = pairsOf(scenario, request.demand);
          const start = next.get(request.demand.name) ?? 0;
          next.set(request.demand.name, start + 1);
          let status = 429;
          for (let i = 0; i < (retry ? pairs.length : 1); i++) {
            status = await callPair(upstream, pairs[(start + i) % pairs.length]!, request);
            if (status === 200) return { status, retryAfterSeconds: null };
          }
          return { status, retryAfterSeconds: null };
        },
        async close() {},
      };
    },
  };
}

export const roundRobin = baseline('round-robin', 'naive round robin over keys', false);
export const retryOn429 = baseline('retry-on-429', 'retry-on-429 over keys (no memory)', true);

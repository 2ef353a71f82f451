import type { Clock } from '../clock';
import { ProxyError } from '../errors';
import type { ModelCatalog } from '../limits/model-catalog';
import type { DispatchRequest, DispatchResult, DispatchSuccess, Pool } from '../pool/types';
import { providerFor } from '../providers';
import type { Operation } from '../providers/types';
import { type LiveTarget, resolveModel, type RouteOutcome, type RoutePlan, type RoutePlanner, type RouteTable, type RouteTraffic, serveRoute, type TargetAttempt } from '../routes';
import type { CatalogModel } from '../upstream/types';

/** What a client's model name stands for: a GitHub Models model, or targets at other providers. */
export type ModelPlan = { kind: 'github'; model: CatalogModel } | { kind: 'providers'; plan: RoutePlan };

/** The route table and what serves routes; absent while no account of another provider exists. */
export interface ProviderRouting {
  table: () => RouteTable;
  planner: RoutePlanner;
  traffic: RouteTraffic;
  clock: Clock;
  /** False when no GitHub Models account can serve (none, or the provider retired). */
  githubServes: () => boolean;
  /** True when some enabled GitHub Models account exists (retired or not: it answers for its models). */
  githubAccounts: () => boolean;
  bareIdFallback: () => boolean;
  /** Told of every answer of a named route (fallbacks are counted and announced from it). */
  onServed?: (outcome: RouteOutcome) => void;
  /** Settles when the providers' first live listing is in; null once it is (see planModelListed). */
  firstListing?: () => Promise<void> | null;
}

/** The longest a request for an id the bundled snapshots lack waits for the first live listing. */
export const FIRST_LISTING_WAIT_MS = 5_000;

/**
 * planModel, except that right after start, when the providers' live listings are not in yet, an
 * id the bundled snapshots lack waits for them (at most FIRST_LISTING_WAIT_MS) before it is a 404:
 * a client that asks at once for a model its provider lists is not told it does not exist.
 */
export async function planModelListed(name: string, github: () => ModelCatalog, routing: () => ProviderRouting | null): Promise<ModelPlan> {
  const before = routing();
  try {
    return planModel(name, github(), before);
  } catch (error) {
    const listing = before?.firstListing?.();
    if (!listing || !(error instanceof ProxyError) || error.code !== 'model_not_found') throw error;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([listing, new Promise<void>((resolve) => (timer = setTimeout(resolve, FIRST_LISTING_WAIT_MS)))]);
    clearTimeout(timer);
    return planModel(name, github(), routing());
  }
}

const githubNotFound = (name: string, suggestions: string[]) =>
  new ProxyError(404, 'invalid_request_error', `The model '${name}' does not exist on GitHub Models.${suggestions.length ? ` Did you mean: ${suggestions.join(', ')}?` : ''} GET /v1/models lists them all.`, {
    code: 'model_not_found',
    param: 'model',
  });

/**
 * Resolves a model name (DESIGN.md, "Model ids clients send"): `{provider}/{model}` of a provider
 * with an account first; then GitHub Models' catalog while a GitHub account can serve (its bare and
 * publisher-prefixed ids, as before); then route names and bare ids at every other provider.
 */
export function planModel(name: string, github: ModelCatalog, routing: ProviderRouting | null): ModelPlan {
  const routed = routing ? resolveModel(routing.table(), name, { bareIdFallback: routing.bareIdFallback() }) : null;
  if (routed?.ok && routed.plan.kind === 'explicit') return { kind: 'providers', plan: routed.plan };
  const onGithub = github.resolve(name);
  // GitHub Models answers for its models while it serves; once retired, only for what no other
  // provider serves (its accounts then say so: 503 provider_retired).
  if (onGithub.ok && (!routing || routing.githubServes() || (routing.githubAccounts() && !routed?.ok))) return { kind: 'github', model: onGithub.model };
  if (routed?.ok) return { kind: 'providers', plan: routed.plan };
  if (routed) throw routed.error;
  throw githubNotFound(name, onGithub.ok ? [] : onGithub.suggestions);
}

/** The model the pool is given for a target: its id upstream, and the provider as publisher. */
export function targetModel(target: LiveTarget): CatalogModel {
  return { id: target.entry.upstreamId, name: target.entry.id, publisher: target.provider };
}

export interface PlannedDispatch {
  result: DispatchResult;
  /** The target of another provider that answered (null for GitHub Models). */
  target: LiveTarget | null;
  fallback: boolean;
}

/**
 * Dispatches over the pool as the plan says: one model or target, with the pool's own bounded wait;
 * a route of several targets, each tried without waiting, the route waiting for the earliest
 * reset among them (routes/serve.ts). `request(model)` builds the pool's request for one model.
 */
export async function dispatchPlan(
  pool: Pool,
  plan: ModelPlan,
  routing: ProviderRouting | null,
  body: Record<string, unknown>,
  maxWaitMs: number,
  signal: AbortSignal,
  request: (model: CatalogModel) => Omit<DispatchRequest, 'provider' | 'maxWaitMs'>,
  /** The controller of `signal`, lent to the pool when it dispatches once (its deadline aborts it; no second controller). */
  controller?: AbortController,
): Promise<PlannedDispatch> {
  if (plan.kind === 'github') return { result: await pool.dispatch({ ...request(plan.model), controller }), target: null, fallback: false };
  const targets = plan.plan.targets;
  if (targets.length === 1 || !routing) {
    const target = targets[0] as LiveTarget;
    const result = await pool.dispatch({ ...request(targetModel(target)), provider: target.provider, controller });
    // A route left with one live target (the others' catalogs not in yet, or dropped) still counts its traffic.
    const route = plan.plan.route;
    if (result.ok && routing && route !== null) {
      routing.traffic.record(route, target, false);
      routing.onServed?.({ route, target, passed: [] });
    }
    return { result, target, fallback: false };
  }
  try {
    const served = await serveRoute<DispatchSuccess>(
      plan.plan,
      body,
      async (target): Promise<TargetAttempt<DispatchSuccess>> => {
        const result = await pool.dispatch({ ...request(targetModel(target)), provider: target.provider, maxWaitMs: 0 });
        if (result.ok) return { ok: true, value: result };
        const { error } = result;
        // The client's own mistake (a bad field, a request too large) is the same at every target.
        if (error.status < 500 && error.status !== 429) throw error;
        const resetAt = error.retryAfterSeconds !== null ? routing.clock.now() + error.retryAfterSeconds * 1000 : null;
        return { ok: false, refusal: { target, reason: error.status === 429 ? 'rate-limited' : 'unavailable', detail: error.message, resetAt } };
      },
      { clock: routing.clock, planner: routing.planner, traffic: routing.traffic, maxWaitMs, signal, onServed: routing.onServed },
    );
    return { result: served.value, target: served.target, fallback: served.fallback };
  } catch (error) {
    if (error instanceof ProxyError) return { result: { ok: false, error }, target: null, fallback: false };
    throw error;
  }
}

/** What a model does, in words: "chat", "embeddings", "chat and embeddings", "neither chat nor embeddings". */
function doesWords(target: LiveTarget): string {
  const ops = target.entry.operations;
  if (ops.includes('chat') && ops.includes('embeddings')) return 'chat and embeddings';
  if (ops.includes('embeddings')) return 'embeddings only (it is an embedding model)';
  if (ops.includes('chat')) return 'chat only (it is not an embedding model)';
  return 'neither chat nor embeddings';
}

const ASKED: Record<Operation, { words: string; endpoint: string; code: string }> = {
  chat: { words: 'chat', endpoint: '/v1/chat/completions (and /v1/responses, /v1/messages)', code: 'model_not_chat' },
  embeddings: { words: 'embeddings', endpoint: '/v1/embeddings', code: 'model_not_embedding' },
};

/**
 * Keeps the targets whose catalog says they do what was asked (embeddings go only to models that
 * embed, chat only to models that chat; DESIGN.md). When none does, the client's error: a 400 in
 * OpenAI's dialect naming the model and what it does, before anything is sent upstream. GitHub
 * Models' plans are left to its own catalog.
 */
export function fitOperation(plan: ModelPlan, operation: Operation): ModelPlan {
  if (plan.kind !== 'providers') return plan;
  const targets = plan.plan.targets.filter((t) => t.entry.operations.includes(operation));
  if (targets.length === plan.plan.targets.length) return plan;
  if (targets.length > 0) return { kind: 'providers', plan: { ...plan.plan, targets } };
  const asked = ASKED[operation];
  const named = plan.plan.targets.map((t) => `${t.provider}/${t.entry.id} (${providerFor(t.provider).name}) does ${doesWords(t)}`).join('; ');
  const what = plan.plan.route ? `Route '${plan.plan.requested}' has no target that does ${asked.words}: ` : `The model '${plan.plan.requested}' cannot serve ${asked.words}: `;
  throw new ProxyError(400, 'invalid_request_error', `${what}${named}. Send ${asked.words} requests to ${asked.endpoint} with a model that does ${asked.words}; GET /v1/models lists them.`, {
    code: asked.code,
    param: 'model',
  });
}

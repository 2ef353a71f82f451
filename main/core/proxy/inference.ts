import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ProxyError } from '../errors';
import type { ModelCatalog } from '../limits/model-catalog';
import type { DispatchRequest, DispatchResult, DispatchSuccess, Pool } from '../pool/types';
import { providerFor } from '../providers';
import type { Operation } from '../providers/types';
import { type LiveTarget, resolveModel, type RoutePlan, serveRoute, type TargetAttempt } from '../routes';
import { mapNetworkError } from '../upstream/network-errors';
import type { CatalogModel } from '../upstream/types';
import type { ProviderRouting, ProxyDeps } from './deps';
import { createDialects } from './dialects';
import { anthropicModelList } from './dialects/anthropic-models';
import { countTokensRoute } from './dialects/messages';
import { relayTranslatedJson, relayTranslatedStream, sendStreamedFailure } from './dialects/translated-relay';
import type { Dialect, DialectName, RequestContext } from './dialects/types';
import { clientIdOf } from './guards';
import { relayHeaders, relayJson, type RelayOutcome, relayStream } from './relay';

/*
 * An inference request from route to relay: the client API routes (one per dialect path, and the
 * model list), the model plan (what a model name stands for, and whether it does what was asked),
 * dispatch over the pool, and the relay of its answer.
 */

const msSince = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

/** Validate → resolve the model → dispatch over the pool → relay (translated when the dialect is not chat's). Orchestration only. */
export async function handleInference<Req>(dialect: Dialect<Req>, request: FastifyRequest, reply: FastifyReply, deps: ProxyDeps): Promise<void> {
  const started = process.hrtime.bigint();
  assertProxyRunning(deps);
  const context: RequestContext = { settings: deps.settings(), headers: request.headers };
  const body = dialect.parse(request.body, context);
  const name = dialect.model(body, context);
  const routing = deps.routing?.() ?? null;
  let plan: ModelPlan;
  try {
    plan = planModel(name, deps.catalog(), routing);
  } catch {
    // Right after start: an id the bundled catalogs lack may be in the providers' live listing, due any moment.
    plan = await planModelListed(name, deps.catalog, () => deps.routing?.() ?? null);
  }
  plan = fitOperation(plan, dialect.operation);
  if (!deps.hasAccounts()) {
    throw new ProxyError(503, 'service_unavailable', 'No account is configured. Add one: set a provider key in the environment (GROQ_API_KEY, GEMINI_API_KEY, CEREBRAS_API_KEY, OPENROUTER_API_KEY, … and GROQ_API_KEY2 and so on for more) and restart, list accounts in a config file (--config), or paste a key in the dashboard under Settings → Add account.', { code: 'no_accounts' });
  }

  const first = plan.kind === 'github' ? plan.model : targetModel(plan.plan.targets[0] as LiveTarget);
  const upstream = dialect.toUpstream(body, first);
  const stream = upstream.stream;
  const controller = new AbortController();
  const onClose = () => {
    if (!reply.raw.writableFinished) controller.abort(new Error('client closed the connection'));
  };
  reply.raw.once('close', onClose);

  const dispatchStart = process.hrtime.bigint();
  const clientId = clientIdOf(request);
  // The client's bytes go as they are when only `model` would change and it needs no change.
  const sent = dialect.forwardsAsSent ? request.rawJsonBody : null;
  const sentModel = sent === null ? undefined : (request.body as { model?: unknown }).model;
  const planned = await dispatchPlan(deps.pool, plan, routing, upstream.body, context.settings.maxWaitMs, controller.signal, (model) => {
    const json = model.id === first.id ? upstream.body : dialect.toUpstream(body, model).body;
    return { kind: dialect.operation, model, body: Buffer.from(sent !== null && sentModel === model.id ? sent : JSON.stringify(json)), json, stream, signal: controller.signal, clientId };
  }, controller);
  const { result } = planned;
  const modelId = planned.target ? planned.target.entry.id : first.id;
  const dispatchMs = msSince(dispatchStart);
  if (!result.ok) {
    reply.raw.off('close', onClose);
    const streamed = stream ? (dialect.translation?.streamedFailure?.(result.error, body) ?? null) : null;
    report(deps, dialect.name, modelId, null, streamed ? 200 : result.error.status, stream, msSince(started) - dispatchMs, started);
    if (streamed) return sendStreamedFailure(reply, streamed);
    throw result.error; // written to a closed socket when the client is gone: harmless
  }

  const addedMs = Math.max(0, msSince(started) - dispatchMs);
  const headers = relayHeaders(result, addedMs);
  headers['x-switchyard-provider'] = planned.target?.provider ?? 'github';
  if (planned.target && plan.kind === 'providers' && plan.plan.route !== null) headers['x-switchyard-route-target'] = `${planned.target.provider}/${planned.target.model}`;
  let outcome: RelayOutcome = { completed: false };
  let status = result.reply.status;
  try {
    const isSse = (result.reply.headers['content-type'] ?? '').includes('text/event-stream');
    const translation = dialect.translation;
    const streaming = { signal: controller.signal, maxStreamMs: context.settings.timeouts.maxStreamMs };
    if (!translation) outcome = isSse ? await relayStream(reply, result, headers, streaming) : await relayJson(reply, result, headers);
    else if (isSse) outcome = await relayTranslatedStream(reply, result, headers, streaming, translation.stream(body, modelId));
    else outcome = await relayTranslatedJson(reply, result, headers, (answer) => translation.reply(answer, body, modelId));
  } catch (error) {
    // Only a JSON answer can fail here, before anything was sent: the client gets the real status.
    const failure = error instanceof ProxyError ? error : brokenAnswer(error);
    status = failure.status;
    throw failure;
  } finally {
    reply.raw.off('close', onClose);
    if (!outcome.completed) result.reply.body.destroy();
    report(deps, dialect.name, modelId, result.account, status, stream, addedMs, started);
  }
}

/** While the user has stopped the proxy, /v1 answers 503. */
export function assertProxyRunning(deps: Pick<ProxyDeps, 'proxyRunning'>): void {
  if (!deps.proxyRunning()) {
    throw new ProxyError(503, 'service_unavailable', 'The Switchyard proxy is stopped. Start it from the tray menu, the dashboard, or with the admin API (POST /admin/api/proxy/start).', { code: 'proxy_stopped' });
  }
}

/** Upstream sent its headers, then its body broke off (reset, idle timeout). */
function brokenAnswer(error: unknown): ProxyError {
  const network = mapNetworkError(error);
  const timedOut = network.failure === 'idle_timeout';
  return new ProxyError(timedOut ? 504 : 502, 'upstream_error', `GitHub Models started answering, then the answer broke off (${network.message}). Retry the request.`, {
    code: timedOut ? 'upstream_timeout' : 'upstream_error',
  });
}

function report(deps: ProxyDeps, route: DialectName, model: string, account: string | null, status: number, stream: boolean, addedMs: number, started: bigint): void {
  deps.onProxied?.({ route, model, account, status, stream, addedMs, totalMs: msSince(started) });
}

/** The client APIs: one POST route per dialect path (chat, embeddings, Responses, Messages), count_tokens, and the model list. */
export async function openaiRoutes(app: FastifyInstance, deps: ProxyDeps): Promise<void> {
  for (const dialect of createDialects()) {
    for (const path of dialect.paths) {
      app.post(path, { config: { errorShape: dialect.errors.name } }, (request, reply) => handleInference(dialect, request, reply, deps));
    }
  }
  countTokensRoute(app, () => assertProxyRunning(deps));
  app.get('/v1/models', async (request) => {
    if (request.headers['anthropic-version']) return anthropicModelList(deps.catalog(), deps.settings(), deps.startedAt);
    const created = Math.floor(deps.startedAt / 1000);
    const github = deps.catalog().list().map((model) => ({ id: model.id, object: 'model', created, owned_by: model.publisher, name: model.name }));
    // Every served `{provider}/{model}` of the other providers, and every route name.
    const table = deps.routing?.()?.table() ?? null;
    const others = table
      ? [
          ...table.targetIds().map((id) => ({ id, object: 'model', created, owned_by: id.slice(0, id.indexOf('/')), name: id })),
          ...table.modelIds().map((id) => ({ id, object: 'model', created, owned_by: 'switchyard-route', name: id })),
        ]
      : [];
    return { object: 'list', data: [...github, ...others] };
  });
}

/** What a client's model name stands for: a GitHub Models model, or targets at other providers. */
export type ModelPlan = { kind: 'github'; model: CatalogModel } | { kind: 'providers'; plan: RoutePlan };

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

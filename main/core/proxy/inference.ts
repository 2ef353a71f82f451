import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ProxyError } from '../errors';
import type { LiveTarget } from '../routes';
import { mapNetworkError } from '../upstream/network-errors';
import type { ProxyDeps } from './deps';
import { anthropicModelList } from './dialects/anthropic-models';
import { createDialects } from './dialects';
import { countTokensRoute } from './dialects/messages';
import { relayTranslatedJson, relayTranslatedStream, sendStreamedFailure } from './dialects/translated-relay';
import type { Dialect, DialectName, RequestContext } from './dialects/types';
import { clientIdOf } from './guards';
import { dispatchPlan, fitOperation, type ModelPlan, planModel, planModelListed, targetModel } from './model-plan';
import { relayHeaders, relayJson, type RelayOutcome, relayStream } from './relay';

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

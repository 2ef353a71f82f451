import { estimateTokens, promptText } from '../content';
import type { SimContext } from '../context';
import { dimensionsOf, embeddingInputs, embeddingsBody } from '../embeddings';
import type { Exchange } from '../exchange';
import { answer, maxTokensOf, type ChatBody } from './behaviour';
import type { Dialect, Route } from './dialect';
import type { Charge } from './meters';
import { completionBody, writeCompletionStream, type CompletionPlan } from './openai-reply';
import type { Admission, Exceeded, MeterSpec, ProviderKey, Reply, SimModel } from './types';

/**
 * A request below a provider's prefix: route, authenticate, then (for inference) read the body,
 * check it as the provider does, play a fault, count it against the owner's counters and answer —
 * all in the provider's dialect.
 */

const MAX_BODY_BYTES = 8 * 1024 * 1024;

const send = (x: Exchange, r: Reply) => x.send(r.status, r.headers, r.body);

export async function handleProvider(ctx: SimContext, dialect: Dialect, x: Exchange, path: string): Promise<void> {
  const method = x.req.method ?? 'GET';
  const route = dialect.route(method, path);
  if (!route) return x.send(404, { 'content-type': 'application/json' }, JSON.stringify({ error: { message: `No route for ${method} ${dialect.prefix}${path}`, code: 'not_found' } }));
  const rt = ctx.providers;
  const token = (dialect.token ?? defaultToken)(x.req.headers);
  const key = rt.find(dialect.id, token);
  const models = rt.settingsOf(dialect.id).models ?? dialect.models;
  if (route.op === 'models' && dialect.publicModels) return send(x, dialect.modelsList(models));
  if (!key || !accountMatches(key, route)) return send(x, dialect.authFailed());
  if (route.op === 'models') return send(x, dialect.modelsList(models));
  if (route.op === 'extra') {
    const reply = dialect.extra?.(method, route.path, key, {
      now: rt.now(),
      view: (owner, model, spec) => rt.meters.view(dialect.id, owner, model, spec),
      limitsOf: (model) => rt.limitsOf(dialect.id, dialect.defaultLimits, model),
    });
    return reply ? send(x, reply) : x.send(404, { 'content-type': 'application/json' }, '{"error":{"message":"Not Found"}}');
  }
  await inference(ctx, dialect, x, route, key, models);
}

const defaultToken = (headers: Exchange['req']['headers']) => /^bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1] ?? null;

function accountMatches(key: ProviderKey, route: Route): boolean {
  return route.accountId === undefined || route.accountId === (key.accountId ?? key.owner);
}

async function inference(ctx: SimContext, dialect: Dialect, x: Exchange, route: Route, key: ProviderKey, models: readonly SimModel[]): Promise<void> {
  const rt = ctx.providers;
  const raw = await x.readBody(MAX_BODY_BYTES);
  if (x.gone) return;
  if (raw === null) return send(x, dialect.badRequest('The request body is too large.'));
  let body: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return send(x, dialect.badRequest('The request body must be a JSON object.'));
    body = parsed as Record<string, unknown>;
  } catch {
    return send(x, dialect.badRequest('The request body is not valid JSON.'));
  }
  const operation = route.op === 'embeddings' ? 'embeddings' : 'chat';
  const refused = dialect.refuse?.(body, operation);
  if (refused) return send(x, refused);
  const wanted = typeof body.model === 'string' ? body.model : '';
  if (!wanted) return send(x, dialect.badRequest('The request body has no model.'));
  const id = (dialect.normaliseModel ?? ((m: string) => m))(wanted).toLowerCase();
  const model = models.find((m) => m.id.toLowerCase() === id);
  x.stream = operation === 'chat' && body.stream === true;
  ctx.stats.identify(x, `${dialect.id}:${key.owner}`, model?.id ?? wanted);
  if (!model || Boolean(model.embeds) !== (operation === 'embeddings')) return send(x, dialect.unknownModel(wanted));
  if (operation === 'chat' && !Array.isArray(body.messages)) return send(x, dialect.badRequest("'messages' must be an array."));
  const inputs = operation === 'embeddings' ? embeddingInputs(body.input) : null;
  if (operation === 'embeddings' && !inputs) return send(x, dialect.badRequest("'input' must be a string or an array of strings."));

  const now = rt.now();
  const throttleKey = `${dialect.id}\n${model.id.toLowerCase()}`;
  const throttled = rt.upstreamThrottles.get(throttleKey);
  if (throttled !== undefined && throttled > now) return send(x, dialect.capacity(model.id, now, throttled));

  const fault = rt.nextFault(dialect.id, key.owner, model.id, x.stream);
  if (fault) x.fault = fault;
  if (fault === 'hang') return;
  if (fault === '500' || fault === '503') return send(x, dialect.serverError(fault === '500' ? 500 : 503));
  if (fault === 'capacity') {
    const until = dialect.capacitySeconds ? now + dialect.capacitySeconds * 1000 : null;
    if (until !== null) rt.upstreamThrottles.set(throttleKey, until);
    return send(x, dialect.capacity(model.id, now, until));
  }
  const credits = dialect.creditsGone?.(key, model);
  if (credits) return send(x, credits);

  const promptTokens = inputs ? inputs.reduce((n, t) => n + estimateTokens(t), 0) : estimateTokens(promptText(body.messages));
  const reply = operation === 'chat' ? answer(body as ChatBody, model.id, key.owner, x.stream ? ctx.settings.chunks : 12) : null;
  const completionTokens = reply ? (reply.kind === 'text' ? reply.words.length : Math.max(1, Math.ceil(reply.calls[0]!.function.arguments.length / 4))) : 0;
  const countedTokens = (dialect.countedTokens ?? ((p, c) => p + c))(promptTokens, completionTokens, maxTokensOf(body as ChatBody));
  const admission: Admission = { key, model, promptTokens, countedTokens, operation };
  const limits = rt.limitsOf(dialect.id, dialect.defaultLimits, model);
  const specs = dialect.meters(limits, model, key);
  const tooLarge = dialect.tooLarge?.(admission, specs);
  if (tooLarge) return send(x, tooLarge);
  const charges: Charge[] = specs.map((spec) => ({ spec, amount: amountFor(spec, admission) }));
  const exceeded = fault === 'absurd-reset' && specs[0] ? absurd(specs[0], now) : rt.meters.charge(dialect.id, key.owner, model.id, charges);
  const views = () => specs.map((s) => rt.meters.view(dialect.id, key.owner, model.id, s));
  if (exceeded) return send(x, dialect.limited(exceeded, admission, now, views()));

  const headers = dialect.successHeaders?.(views(), admission) ?? {};
  try {
    if (!(await x.delay(ctx.settings.latencyMs))) return;
    if (inputs) return sendEmbeddings(ctx, x, inputs, model, headers, body.dimensions);
    const plan: CompletionPlan = {
      id: ctx.nextId('chatcmpl'),
      created: Math.floor(now / 1000),
      model: model.id,
      answer: reply!,
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    };
    if (!x.stream) return x.send(200, { ...headers, 'content-type': 'application/json' }, JSON.stringify(completionBody(plan)));
    const includeUsage = (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
    const midStreamError = fault === 'mid-stream-error' ? { code: 502, message: 'Provider returned error: the upstream stream ended unexpectedly.' } : null;
    await writeCompletionStream(x, plan, { ...dialect.stream, chunks: ctx.settings.chunks, chunkDelayMs: ctx.settings.chunkDelayMs, midStreamError }, includeUsage, headers);
  } finally {
    const used = promptTokens + completionTokens;
    if (countedTokens > used) for (const spec of specs) if (spec.unit === 'tokens') rt.meters.refund(dialect.id, key.owner, model.id, spec, countedTokens - used);
  }
}

/** A refusal by `spec` whose reset is ~31 years away (for tests that bound what they believe). */
function absurd(spec: MeterSpec, now: number): Exceeded {
  const waitMs = 999_999_999_000;
  return { spec, used: spec.limit, requested: 1, waitMs, resetAt: now + waitMs };
}

function amountFor(spec: MeterSpec, a: Admission): number {
  if (spec.unit === 'requests') return 1;
  if (spec.unit === 'tokens') return a.countedTokens;
  return Math.max(1, Math.ceil(a.countedTokens / 10));
}

function sendEmbeddings(ctx: SimContext, x: Exchange, inputs: string[], model: SimModel, headers: Record<string, string>, asked: unknown): void {
  const reply = embeddingsBody(inputs, model.id, dimensionsOf(asked, ctx.settings.embeddingDims));
  x.send(200, { ...headers, 'content-type': 'application/json' }, JSON.stringify(reply));
}

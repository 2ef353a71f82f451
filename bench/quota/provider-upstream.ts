import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import { estimateTokens, promptText } from '../../main/simulator/content';
import { answer, maxTokensOf, type ChatBody } from '../../main/simulator/providers/behaviour';
import type { Dialect } from '../../main/simulator/providers/dialect';
import { DIALECTS } from '../../main/simulator/providers/registry';
import { ProviderRuntime, type ProviderSettings } from '../../main/simulator/providers/runtime';
import type { Admission, MeterSpec, ProviderKey, Reply, SimModel, SimProviderId } from '../../main/simulator/providers/types';
import { providerFor } from '../../main/core/providers/index';
import { bodyText } from '../../main/core/providers/http';
import type { ProviderCredentials, ProviderModel } from '../../main/core/providers/types';
import { UpstreamNetworkError, type InferenceKind, type UpstreamClient, type UpstreamReply, type UpstreamTarget } from '../../main/core/upstream/types';
import { requestIdOf } from './quota-upstream';
import type { SimClock } from './sim-clock';

/**
 * An in-process upstream for every provider but GitHub, on the bench's virtual clock. The request
 * is built by the provider's real descriptor (main/core/providers: auth, path, stripped fields),
 * then answered by the simulator's own dialect and counters (main/simulator/providers: the same
 * meters, limits and 429 bodies/headers the HTTP simulator sends), without sockets. A granted
 * call holds what it counted (Cerebras' max_completion_tokens reservation) for its latency, then
 * gives the unused part back, as the simulator does when its answer ends.
 */

/** Where the descriptors send: a base URL per provider whose path is the simulator's prefix. */
export const BENCH_ORIGIN = 'http://bench.invalid';

export function benchBaseUrl(provider: SimProviderId): string {
  return `${BENCH_ORIGIN}${DIALECTS[provider].prefix}`;
}

export function benchCreds(provider: SimProviderId, key: string): ProviderCredentials {
  return { key, baseUrl: benchBaseUrl(provider) };
}

export interface ProviderUpstreamOptions {
  clock: SimClock;
  keys: readonly ProviderKey[];
  settings?: Partial<Record<SimProviderId, ProviderSettings>>;
  /** Time a granted call takes, from provider, model, request id and the attempt number. */
  latencyMs: (provider: SimProviderId, model: string, requestId: number, attempt: number) => number;
  /** Time a refusal takes. */
  refusalLatencyMs: number;
}

/** What upstream saw during a run. */
export interface ProviderTally {
  calls: number;
  served: number;
  rateLimited: number;
  /** Other non-2xx answers, by status. */
  other: Record<string, number>;
  /** 429s per meter name (`groq:rpd`, `openrouter:free-models-per-day`, …). */
  byMeter: Record<string, number>;
  /** 429s per (provider, owner, model or '*', meter, window): see windowOf. */
  perWindow: Map<string, number>;
  /** Served calls per `provider:owner`. */
  servedByOwner: Record<string, number>;
}

/** One admission decision, as the simulator's handler makes it (faults aside). */
export interface Charging {
  dialect: Dialect;
  key: ProviderKey;
  model: SimModel;
  admission: Admission;
  specs: MeterSpec[];
  /** Tokens the answer really used (prompt + completion). */
  usedTokens: number;
}

/**
 * The window a refusal belongs to: a fixed window or calendar period is identified by when it
 * closes; a continuously refilling bucket has none, so its 429s are binned by the meter's length
 * (a minute or a day) from the start of the run.
 */
export function windowOf(spec: MeterSpec, resetAt: number, now: number, start: number): string {
  if (spec.clock.kind !== 'bucket') return `ends@${resetAt}`;
  return `bin#${Math.floor((now - start) / (spec.clock.seconds * 1000))}`;
}

function amountFor(spec: MeterSpec, a: Admission): number {
  if (spec.unit === 'requests') return 1;
  if (spec.unit === 'tokens') return a.countedTokens;
  return Math.max(1, Math.ceil(a.countedTokens / 10));
}

const toReply = (r: Reply): UpstreamReply => ({ status: r.status, headers: lower(r.headers), body: Readable.from([Buffer.from(r.body)]) });

function lower(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

export class ProviderQuotaUpstream implements UpstreamClient {
  readonly runtime: ProviderRuntime;
  readonly tally: ProviderTally = { calls: 0, served: 0, rateLimited: 0, other: {}, byMeter: {}, perWindow: new Map(), servedByOwner: {} };
  /** Latency of the call that served each request (for "added wait"). */
  readonly servedLatency = new Map<number, number>();
  private readonly attempts = new Map<number, number>();
  private readonly start: number;

  constructor(private readonly options: ProviderUpstreamOptions) {
    this.runtime = new ProviderRuntime(() => options.clock.now(), options.keys, options.settings ?? {});
    this.start = options.clock.now();
  }

  /** The models a provider serves here, as its descriptor reads the dialect's models list. */
  catalog(provider: SimProviderId): ProviderModel[] {
    const dialect = DIALECTS[provider];
    const list = dialect.modelsList(this.runtime.settingsOf(provider).models ?? dialect.models);
    return providerFor(provider).parseCatalog(JSON.parse(list.body));
  }

  /**
   * What the simulator would charge for `body` (OpenAI-shaped, as the descriptor built it) on
   * `key`: null when the request is not an admissible inference (unknown model, wrong path…).
   */
  charging(provider: SimProviderId, key: ProviderKey, body: Record<string, unknown>, operation: 'chat' | 'embeddings'): Charging | null {
    const dialect = DIALECTS[provider];
    const models = this.runtime.settingsOf(provider).models ?? dialect.models;
    const id = (dialect.normaliseModel ?? ((m: string) => m))(String(body.model ?? '')).toLowerCase();
    const model = models.find((m) => m.id.toLowerCase() === id);
    if (!model || Boolean(model.embeds) !== (operation === 'embeddings')) return null;
    const promptTokens = estimateTokens(promptText(body.messages));
    const reply = operation === 'chat' ? answer(body as ChatBody, model.id, key.owner, 12) : null;
    const completionTokens = reply ? (reply.kind === 'text' ? reply.words.length : Math.max(1, Math.ceil(reply.calls[0]!.function.arguments.length / 4))) : 0;
    const countedTokens = (dialect.countedTokens ?? ((p, c) => p + c))(promptTokens, completionTokens, maxTokensOf(body as ChatBody));
    const admission: Admission = { key, model, promptTokens, countedTokens, operation };
    const specs = dialect.meters(this.runtime.limitsOf(provider, dialect.defaultLimits, model), model, key);
    return { dialect, key, model, admission, specs, usedTokens: promptTokens + completionTokens };
  }

  /** What a client body becomes once the provider's descriptor built it for `key` (fields stripped, defaults set). */
  built(provider: SimProviderId, key: string, body: Record<string, unknown>, operation: 'chat' | 'embeddings' = 'chat'): Record<string, unknown> {
    return JSON.parse(bodyText(providerFor(provider).buildRequest(operation, benchCreds(provider, key), body)) || '{}') as Record<string, unknown>;
  }

  /** Whether the owner's counters would admit this charging now (read only). */
  admits(c: Charging): boolean {
    return c.specs.every((spec) => {
      const amount = amountFor(spec, c.admission);
      return amount <= 0 || this.runtime.meters.view(c.dialect.id, c.key.owner, c.model.id, spec).used + amount <= spec.limit;
    });
  }

  async send(kind: InferenceKind, token: string, body: Uint8Array | string, signal: AbortSignal, _stream?: boolean, target?: UpstreamTarget): Promise<UpstreamReply> {
    if (signal.aborted) throw new UpstreamNetworkError('aborted', 'aborted');
    if (!target || target.provider === 'github') throw new Error('bench: this upstream serves other providers than GitHub only');
    const provider = target.provider as SimProviderId;
    const dialect = DIALECTS[provider];
    if (!dialect) throw new Error(`bench: no simulated dialect for ${target.provider}`);
    const parsed = JSON.parse(typeof body === 'string' ? body : Buffer.from(body).toString('utf8')) as Record<string, unknown>;
    const built = providerFor(provider).buildRequest(kind, { ...target.creds, key: token }, parsed);
    const url = new URL(built.url);
    const path = url.pathname.startsWith(dialect.prefix) ? url.pathname.slice(dialect.prefix.length) || '/' : url.pathname;
    const route = dialect.route(built.method, path);
    const headers = lower(built.headers) as IncomingHttpHeaders;
    const key = this.runtime.find(provider, (dialect.token ?? (() => null))(headers));
    this.tally.calls++;
    if (!route || (route.op !== 'chat' && route.op !== 'embeddings')) return this.refuse(toReply(dialect.badRequest(`bench: no inference route for ${built.method} ${path}`)));
    if (!key) return this.refuse(toReply(dialect.authFailed()));
    const sent = JSON.parse(bodyText(built) || '{}') as Record<string, unknown>;
    const operation = route.op;
    const refused = dialect.refuse?.(sent, operation);
    if (refused) return this.refuse(toReply(refused));
    const c = this.charging(provider, key, sent, operation);
    if (!c) return this.refuse(toReply(dialect.unknownModel(String(sent.model ?? ''))));
    const credits = dialect.creditsGone?.(key, c.model);
    if (credits) return this.refuse(toReply(credits));
    const tooLarge = dialect.tooLarge?.(c.admission, c.specs);
    if (tooLarge) return this.refuse(toReply(tooLarge));

    const meters = this.runtime.meters;
    const now = this.options.clock.now();
    const exceeded = meters.charge(provider, key.owner, c.model.id, c.specs.map((spec) => ({ spec, amount: amountFor(spec, c.admission) })));
    const views = () => c.specs.map((s) => meters.view(provider, key.owner, c.model.id, s));
    if (exceeded) {
      this.tally.rateLimited++;
      const meter = `${provider}:${exceeded.spec.name}`;
      this.tally.byMeter[meter] = (this.tally.byMeter[meter] ?? 0) + 1;
      const scope = exceeded.spec.scope === 'owner' ? '*' : c.model.id;
      const bucket = `${provider}|${key.owner}|${scope}|${exceeded.spec.name}|${windowOf(exceeded.spec, exceeded.resetAt, now, this.start)}`;
      this.tally.perWindow.set(bucket, (this.tally.perWindow.get(bucket) ?? 0) + 1);
      const reply = toReply(dialect.limited(exceeded, c.admission, now, views()));
      await this.options.clock.sleep(this.options.refusalLatencyMs, signal);
      return reply;
    }
    const successHeaders = lower(dialect.successHeaders?.(views(), c.admission) ?? {});
    const { id } = requestIdOf(body);
    const attempt = this.attempts.get(id) ?? 0;
    this.attempts.set(id, attempt + 1);
    const latency = this.options.latencyMs(provider, c.model.id, id, attempt);
    try {
      await this.options.clock.sleep(latency, signal);
    } finally {
      if (c.admission.countedTokens > c.usedTokens) {
        for (const spec of c.specs) if (spec.unit === 'tokens') meters.refund(provider, key.owner, c.model.id, spec, c.admission.countedTokens - c.usedTokens);
      }
    }
    this.tally.served++;
    const owner = `${provider}:${key.owner}`;
    this.tally.servedByOwner[owner] = (this.tally.servedByOwner[owner] ?? 0) + 1;
    this.servedLatency.set(id, latency);
    const usage = { prompt_tokens: c.admission.promptTokens, completion_tokens: c.usedTokens - c.admission.promptTokens, total_tokens: c.usedTokens };
    const reply = { id: `chatcmpl-${id}`, object: 'chat.completion', created: Math.floor(now / 1000), model: c.model.id, choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage };
    return { status: 200, headers: { ...successHeaders, 'content-type': 'application/json' }, body: Readable.from([Buffer.from(JSON.stringify(reply))]) };
  }

  private async refuse(reply: UpstreamReply): Promise<UpstreamReply> {
    this.tally.other[reply.status] = (this.tally.other[reply.status] ?? 0) + 1;
    await this.options.clock.sleep(this.options.refusalLatencyMs);
    return reply;
  }

  /** OpenRouter's GET /key (and any provider's identity request the dialect answers), read by the descriptor. */
  async identify(target: UpstreamTarget): Promise<{ ownerId: string; label: string } | null> {
    const descriptor = providerFor(target.provider);
    if (!descriptor.identityRequest || !descriptor.readIdentity || target.provider === 'github') return null;
    const provider = target.provider as SimProviderId;
    const dialect = DIALECTS[provider];
    const built = descriptor.identityRequest(target.creds);
    const path = new URL(built.url).pathname.slice(dialect.prefix.length);
    const route = dialect.route(built.method, path);
    const key = this.runtime.find(provider, (dialect.token ?? (() => null))(lower(built.headers) as IncomingHttpHeaders));
    if (!route || route.op !== 'extra' || !key) return null;
    const reply = dialect.extra?.(built.method, route.path, key, {
      now: this.options.clock.now(),
      view: (owner, model, spec) => this.runtime.meters.view(provider, owner, model, spec),
      limitsOf: (model) => this.runtime.limitsOf(provider, dialect.defaultLimits, model),
    });
    return reply && reply.status === 200 ? descriptor.readIdentity(JSON.parse(reply.body)) : null;
  }

  getUser(): Promise<never> {
    return Promise.reject(new Error('bench: no GitHub accounts in a provider scenario'));
  }

  listCatalog(): Promise<[]> {
    return Promise.resolve([]);
  }

  async close(): Promise<void> {}
}

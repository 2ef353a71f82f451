import { Readable } from 'node:stream';
import type { Plan } from '../../shared/domain';
import { QuotaModel, rateLimitMessage, type QuotaExceeded } from '../../main/simulator';
import {
  UpstreamHttpError,
  UpstreamNetworkError,
  type CatalogModel,
  type GitHubUser,
  type InferenceKind,
  type UpstreamClient,
  type UpstreamReply,
} from '../../main/core/upstream/types';
import type { SimClock } from './sim-clock';

/**
 * An in-process UpstreamClient that answers as the GitHub Models simulator does, with the
 * simulator's own QuotaModel on the bench's virtual clock: 200 while quota lasts, else a 429
 * with the simulator's "full" headers and message (or a bare 403 when the plan has no access).
 * The quota slot is held while the call takes its latency, like the simulator holds it.
 */

export interface UpstreamAccount {
  token: string;
  login: string;
  plan: Plan;
}

export interface QuotaUpstreamOptions {
  clock: SimClock;
  quota: QuotaModel;
  accounts: readonly UpstreamAccount[];
  models: readonly CatalogModel[];
  /** Time a granted call takes, from the request id and how many calls that request made before. */
  latencyMs: (model: string, requestId: number, attempt: number) => number;
  /** Time a refused call (429 / 403) takes. */
  refusalLatencyMs: number;
}

/** One call as upstream saw it. */
export interface CallRecord {
  at: number;
  login: string;
  model: string;
  status: number;
}

/** What upstream saw during a run. */
export interface UpstreamTally {
  calls: number;
  served: number;
  forbidden: number;
  rateLimited: number;
  byLimitType: Record<string, number>;
  /** 429s per (login, model, limit type, window end); concurrency 429s have no window and are not here. */
  perWindow: Map<string, number>;
}

const JSON_TYPE = { 'content-type': 'application/json' };

function reply(status: number, headers: Record<string, string>, body: string): UpstreamReply {
  return { status, headers, body: Readable.from([Buffer.from(body)]) };
}

/** The simulator's 429 in its default ("full") variant: every header, and the message in the body. */
export function rateLimitReply(r: QuotaExceeded): UpstreamReply {
  const message = rateLimitMessage(r);
  const wait = String(r.waitSeconds);
  return reply(
    429,
    { ...JSON_TYPE, 'retry-after': wait, 'x-ratelimit-type': r.limitType, 'x-ratelimit-timeremaining': wait, 'x-ms-error-code': 'RateLimitReached' },
    JSON.stringify({ error: { code: 'RateLimitReached', message, details: message } }),
  );
}

function okReply(kind: InferenceKind, model: string, requestId: number): UpstreamReply {
  const usage = { prompt_tokens: 12, completion_tokens: kind === 'chat' ? 20 : 0, total_tokens: kind === 'chat' ? 32 : 12 };
  const body =
    kind === 'chat'
      ? { id: `chatcmpl-${requestId}`, object: 'chat.completion', model, choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage }
      : { object: 'list', model, data: [{ object: 'embedding', index: 0, embedding: [0.1, 0.2, 0.3] }], usage };
  return reply(200, JSON_TYPE, JSON.stringify(body));
}

/** Reads the bench's request id from the body's `user` field (`req-<id>`). */
export function requestIdOf(body: Uint8Array | string): { model: string; id: number } {
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  const parsed = JSON.parse(text) as { model?: unknown; user?: unknown };
  const id = typeof parsed.user === 'string' ? Number(parsed.user.replace(/^req-/, '')) : NaN;
  return { model: String(parsed.model), id: Number.isFinite(id) ? id : -1 };
}

export class QuotaUpstream implements UpstreamClient {
  readonly tally: UpstreamTally = { calls: 0, served: 0, forbidden: 0, rateLimited: 0, byLimitType: {}, perWindow: new Map() };
  /** Every call, in the order they arrived. */
  readonly log: CallRecord[] = [];
  /** Latency of the call that served each request (for "added wait"). */
  readonly servedLatency = new Map<number, number>();
  private readonly attempts = new Map<number, number>();
  private readonly byToken: Map<string, UpstreamAccount>;
  private readonly models: Map<string, CatalogModel>;
  private readonly releaseListeners = new Set<() => void>();

  constructor(private readonly options: QuotaUpstreamOptions) {
    this.byToken = new Map(options.accounts.map((a) => [a.token, a]));
    this.models = new Map(options.models.map((m) => [m.id.toLowerCase(), m]));
  }

  /** Called whenever a granted call ends and its concurrency slot frees. */
  onRelease(listener: () => void): () => void {
    this.releaseListeners.add(listener);
    return () => this.releaseListeners.delete(listener);
  }

  async send(kind: InferenceKind, token: string, body: Uint8Array | string, signal: AbortSignal): Promise<UpstreamReply> {
    const { clock, quota } = this.options;
    if (signal.aborted) throw new UpstreamNetworkError('aborted', 'aborted');
    const { model: modelId, id } = requestIdOf(body);
    const account = this.byToken.get(token);
    if (!account) return reply(401, JSON_TYPE, JSON.stringify({ error: { code: 'unauthorized', message: 'Bad credentials', details: 'Bad credentials' } }));
    const model = this.models.get(modelId.toLowerCase());
    if (!model) return reply(404, { 'content-type': 'text/plain; charset=utf-8' }, JSON.stringify({ error: { code: 'unknown_model', message: `Unknown model: ${modelId}` } }));

    const tally = this.tally;
    tally.calls++;
    const attempt = this.attempts.get(id) ?? 0;
    this.attempts.set(id, attempt + 1);
    const decision = quota.acquire(account.login, account.plan, model);
    this.log.push({ at: clock.now(), login: account.login, model: model.id, status: decision.ok ? 200 : decision.status });
    if (!decision.ok) {
      await this.wait(this.options.refusalLatencyMs, signal, null);
      if (decision.status === 403) {
        tally.forbidden++;
        return reply(403, { 'content-type': 'text/plain; charset=utf-8' }, 'Forbidden');
      }
      tally.rateLimited++;
      tally.byLimitType[decision.limitType] = (tally.byLimitType[decision.limitType] ?? 0) + 1;
      const windowEnd = this.windowEnd(account.login, model.id, decision);
      if (windowEnd !== null) {
        const key = `${account.login}|${model.id}|${decision.limitType}|${windowEnd}`;
        tally.perWindow.set(key, (tally.perWindow.get(key) ?? 0) + 1);
      }
      return rateLimitReply(decision);
    }
    const latency = this.options.latencyMs(model.id, id, attempt);
    await this.wait(latency, signal, decision.release);
    decision.release();
    for (const listener of [...this.releaseListeners]) listener();
    tally.served++;
    this.servedLatency.set(id, latency);
    return okReply(kind, model.id, id);
  }

  private async wait(ms: number, signal: AbortSignal, release: (() => void) | null): Promise<void> {
    try {
      await this.options.clock.sleep(ms, signal);
    } catch {
      if (release) {
        release();
        for (const listener of [...this.releaseListeners]) listener();
      }
      throw new UpstreamNetworkError('aborted', 'aborted');
    }
  }

  /** The end of the window a 429 refers to, as the quota model counts it (null: concurrency). */
  private windowEnd(login: string, model: string, d: QuotaExceeded): number | null {
    const usage = this.options.quota.usage(login, model);
    switch (d.limitType) {
      case 'UserByModelByDay':
        return usage.day.resetsAt;
      case 'UserByModelByMinute':
        return usage.minute.resetsAt;
      case 'UserByModelByMinuteTokens':
        return usage.tokensMinute.resetsAt;
      case 'UserByMinute':
        return usage.userMinute.resetsAt;
      case 'UserConcurrentRequests':
        return null;
    }
  }

  async getUser(token: string): Promise<GitHubUser> {
    const account = this.byToken.get(token);
    if (!account) throw new UpstreamHttpError(401, { status: 401, code: 'unauthorized', message: 'Bad credentials' });
    return { login: account.login, id: null, avatarUrl: null };
  }

  async listCatalog(): Promise<CatalogModel[]> {
    return [...this.models.values()];
  }

  async close(): Promise<void> {}
}

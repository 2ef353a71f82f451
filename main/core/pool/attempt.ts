import { Readable, Transform } from 'node:stream';
import type { LimitType } from '../../../shared/domain';
import { type ErrorType, ProxyError } from '../errors';
import type { TierInput } from '../limits/table';
import { scrubTokens } from '../mask';
import { providerFor } from '../providers';
import { spentSignal } from '../providers/remaining';
import type { LimitSignal } from '../providers/types';
import { readErrorInfo } from '../upstream/error-info';
import { githubLimitSignal, limitTypeOfSignal, rateLimitInfoOf } from '../upstream/limit-signal';
import { neverReached } from '../upstream/network-errors';
import { isGithubRetirement } from '../upstream/retirement';
import { UpstreamNetworkError, type UpstreamReply } from '../upstream/types';
import { type AccountState, ownerOf } from './account';
import { effectiveLimits } from './choose';
import { clientLeft } from './deadline';
import { adoptOwner } from './discovered-owner';
import { markForbidden, markInvalid, markRateLimited, markSpentAhead, recordFailure, recordSuccess, retireProvider } from './health';
import { accountLabel } from './log-words';
import type { PoolParts } from './parts';
import { type Lease, type QuotaStore, type Refusal, type ReserveRequest, COUNTED_TYPES, isCounted, type Positions } from './quota-store';
import { retirementOf } from './retirement';
import type { DispatchRequest } from './types';

/*
 * One upstream try on one account: its reservation in the quota store, the send, the reading of
 * the answer into an outcome (and into the account's health), the body whose end releases the
 * lease, and what the answer says about the limits we forecast.
 */

/** What one upstream try on one account came to. */
export type AttemptOutcome =
  | { kind: 'served'; reply: UpstreamReply }
  | { kind: 'rate-limited'; limitType: LimitType; resetsAt: number }
  | { kind: 'invalid' }
  | { kind: 'forbidden' }
  /** The provider answered that it no longer serves: all its accounts are retired. */
  | { kind: 'retired' }
  /** Not the account's fault (400/404/413/422…): the client hears upstream's answer. */
  | { kind: 'client-error'; error: ProxyError }
  /** The quota store refused the reservation (another request, maybe on another replica, took the room first). */
  | { kind: 'refused'; refusal: Refusal }
  /** 5xx, network error, timeout: try elsewhere. status 0 = no response. */
  | { kind: 'failed'; status: number; message: string; timeout: boolean }
  /** The client hung up or the request's deadline passed. */
  | { kind: 'stopped' };

const MAX_ERROR_BODY = 64 * 1024;

/**
 * Reads a whole answer, up to `max` bytes; null (and the rest discarded) past it. Listens for
 * its events rather than iterating it (an async iterator per answer showed in allocation profiles).
 */
function readAll(body: Readable, max: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > max) {
        done();
        body.destroy();
        resolve(null);
      }
    };
    const onEnd = () => {
      done();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    // Destroyed with no error (as a for-await loop sees it: a premature close).
    const onClose = () => {
      done();
      reject(Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    };
    const done = () => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
      body.off('close', onClose);
    };
    body.on('data', onData);
    body.once('end', onEnd);
    body.once('error', onError);
    body.once('close', onClose);
  });
}

const tooLargeAnswer = (max: number) =>
  new ProxyError(502, 'upstream_error', `The answer is larger than ${Math.round(max / 1024 / 1024) || 1} MB (settings.maxAnswerBytes). Switchyard holds a non-streamed answer whole so that one which breaks off can be retried elsewhere; ask for a stream, or raise the setting.`, { code: 'answer_too_large' });

async function readText(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      chunks.push(buf);
      size += buf.length;
      if (size >= MAX_ERROR_BODY) break;
    }
  } catch {
    // whatever arrived is all we have
  } finally {
    body.destroy();
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, MAX_ERROR_BODY);
}

function clientErrorType(status: number): ErrorType {
  if (status === 404) return 'not_found_error';
  return 'invalid_request_error';
}

const isFailureStatus = (status: number) => status >= 500 || status === 408;

/**
 * Sends the held body on one account and reads what came back into the ledger: in-flight slot,
 * window counts, cooldowns, invalid / forbidden marks, failures and the circuit.
 */
export async function attempt(
  ctx: Pick<PoolParts, 'book' | 'clock' | 'deps' | 'exhausted' | 'logger' | 'models' | 'occupancy' | 'quota' | 'retired' | 'signals' | 'sweeper' | 'traffic' | 'waker'>,
  account: AccountState,
  req: DispatchRequest,
  signal: AbortSignal,
  kind: SendKind = 'send',
): Promise<AttemptOutcome> {
  const model = req.model.id;
  const started = ctx.clock.now();
  const reservation = await ctx.quota.reserve(reserveRequest(ctx.quota, account, req.model, kind, started));
  if (!reservation.ok) return { kind: 'refused', refusal: reservation.refusal };
  const { lease } = reservation;
  ctx.occupancy.inFlight++;
  account.breaker.begin(started);
  ctx.occupancy.report();
  ctx.signals.notify();

  let slotHeld = true;
  const freeSlot = (tokens: number | null = null) => {
    if (!slotHeld) return;
    slotHeld = false;
    ctx.quota.release(lease, { tokens }, ctx.clock.now()).catch((err: unknown) => ctx.logger.error({ tag: 'quota', err: String(err) }, 'Could not release a quota lease'));
    ctx.occupancy.inFlight = Math.max(0, ctx.occupancy.inFlight - 1);
    ctx.occupancy.report();
    ctx.signals.notify();
    // A slot of this account is free: it may serve any model of its provider, and nothing elsewhere.
    ctx.waker.wake(account.provider);
  };
  const upstreamSeen = (status: number, limitType: LimitType | null) =>
    ctx.signals.observe({ type: 'upstream', account: account.key, login: account.login, model, status, limitType, latencyMs: ctx.clock.now() - started });

  let reply: UpstreamReply;
  let whole: Buffer | null = null;
  let headersStatus = 0;
  try {
    reply = await ctx.deps.upstream.send(req.kind, account.token, req.body, signal, req.stream, account.creds ? { provider: account.provider, creds: account.creds } : undefined, req.json);
    headersStatus = reply.status;
    // Answered 2xx: the next probe need not wait for this body. A probe's is awaited (the forecast
    // was wrong; waiting probes may go); a send's is not (until it lands a probe waits a moment
    // longer). A refusal holds probes back until its cooldown is in the store and its slot is released.
    if (reply.status >= 200 && reply.status < 300) {
      if (kind !== 'send') await ctx.quota.answered?.(lease);
      else void ctx.quota.answered?.(lease).catch((err: unknown) => ctx.logger.error({ tag: 'quota', err: String(err) }, 'Could not mark a quota lease answered'));
    }
    // A JSON success is small: hold it whole, so an answer that breaks off midway is retried on
    // another account like any reset, before the client has heard anything.
    if (!req.stream && reply.status >= 200 && reply.status < 300) {
      const max = ctx.deps.settings().maxAnswerBytes;
      whole = await readAll(reply.body, max);
      if (whole === null) {
        freeSlot();
        account.breaker.neutral();
        return { kind: 'client-error', error: tooLargeAnswer(max) };
      }
    }
  } catch (err) {
    freeSlot();
    if (signal.aborted) {
      account.breaker.neutral();
      // A hang that ran into the request's deadline still counts against the account.
      if (!clientLeft(req)) recordFailure(ctx, account, ctx.clock.now());
      return { kind: 'stopped' };
    }
    upstreamSeen(headersStatus, null);
    const network = err instanceof UpstreamNetworkError ? err : null;
    // A request that never reached the provider (no connection, no DNS) spent none of its quota.
    if (network && neverReached(network.failure)) await ctx.quota.uncount(lease, ctx.clock.now());
    const message = scrubTokens(err instanceof Error ? err.message : String(err));
    ctx.logger.warn({ tag: 'upstream', account: account.key, model, failure: network?.failure ?? 'other' }, `Upstream request failed on ${account.key}: ${message}`);
    recordFailure(ctx, account, ctx.clock.now());
    return { kind: 'failed', status: 0, message, timeout: network?.failure.endsWith('timeout') ?? false };
  }

  const now = ctx.clock.now();
  if (reply.status >= 200 && reply.status < 300) {
    upstreamSeen(reply.status, null);
    recordSuccess(ctx, account);
    await heedServed(ctx, account, model, lease.positions);
    const spent = spentAhead(account, reply.headers, now);
    if (spent) await markSpentAhead(ctx, account, model, spent, now);
    ctx.book.totalsOf(account.key).served++;
    ctx.traffic.record(now, account.key, 'served');
    // The lease ends with the body: read to its end (with the tokens it reports), or abandoned.
    return { kind: 'served', reply: { ...reply, body: leasedBody(reply.body, whole, freeSlot) } };
  }

  const text = await readText(reply.body);
  const at = ctx.clock.now();
  if (account.provider !== 'github') return readOtherProvider(ctx, account, req, lease, reply, text, at, freeSlot, upstreamSeen);
  if (reply.status === 429) {
    // The one place a 429 is read: a provider descriptor's readLimit takes over here.
    const signal = githubLimitSignal(reply.headers, text, ctx.deps.settings().defaultCooldownSeconds, at);
    const { limitType } = rateLimitInfoOf(signal, at);
    upstreamSeen(429, limitType);
    const effect = await markRateLimited(ctx, account, model, signal, at);
    await heedStatedLimit(ctx, account, req.model, text, at);
    await ctx.quota.uncount(lease, at);
    account.breaker.neutral();
    freeSlot();
    return { kind: 'rate-limited', limitType, resetsAt: effect.kept.until };
  }

  upstreamSeen(reply.status, null);
  if (isGithubRetirement(reply.status, text)) {
    await ctx.quota.uncount(lease, at);
    freeSlot();
    account.breaker.neutral();
    retireProvider(ctx, retirementOf(account.provider));
    return { kind: 'retired' };
  }
  const info = readErrorInfo(reply.status, reply.headers, text);
  if (!isFailureStatus(reply.status)) await ctx.quota.uncount(lease, at);
  freeSlot();
  if (reply.status === 401) {
    account.breaker.neutral();
    markInvalid(ctx, account, info.message);
    return { kind: 'invalid' };
  }
  if (reply.status === 403) {
    account.breaker.neutral();
    markForbidden(ctx, account, model);
    return { kind: 'forbidden' };
  }
  if (isFailureStatus(reply.status)) {
    ctx.logger.warn({ tag: 'upstream', account: account.key, model, status: reply.status }, `Upstream answered ${reply.status} on ${account.key}: ${info.message}`);
    recordFailure(ctx, account, at);
    return { kind: 'failed', status: reply.status, message: info.message, timeout: reply.status === 408 || reply.status === 504 };
  }
  account.breaker.neutral();
  return {
    kind: 'client-error',
    error: new ProxyError(reply.status, clientErrorType(reply.status), info.message, { code: info.code }),
  };
}

/**
 * A refusal from a provider other than GitHub Models, read by its descriptor: a limit (of the
 * model, the owner, the provider's capacity) cools the account as its signal says; credits gone
 * wait for a person; a request larger than a limit, and other 4xx, are the client's error; 5xx
 * and timeouts are failures to retry elsewhere.
 */
async function readOtherProvider(
  ctx: Parameters<typeof attempt>[0],
  account: AccountState,
  req: DispatchRequest,
  lease: Lease,
  reply: UpstreamReply,
  text: string,
  at: number,
  freeSlot: () => void,
  upstreamSeen: (status: number, limitType: LimitType | null) => void,
): Promise<AttemptOutcome> {
  const model = req.model.id;
  const descriptor = providerFor(account.provider);
  // The answer may name the owner (Groq's organisation): the limit is that owner's, for every key of it.
  const named = descriptor.ownerFromAnswer?.(reply.status, reply.headers, text);
  if (named) await adoptOwner(ctx, account, named);
  // A 429 the descriptor cannot place is still a limit: read its retry-after as a model's cooldown.
  const read = descriptor.readLimit(reply.status, reply.headers, text, at) ?? (reply.status === 429 ? githubLimitSignal(reply.headers, text, ctx.deps.settings().defaultCooldownSeconds, at) : null);
  // A limit of one pool of models (OpenRouter's `:free` models) cools the model that met it, never
  // the owner's other models: a paid model of the same account still serves.
  const signal = read?.modelPool && read.scope === 'owner' ? { ...read, scope: 'model' as const } : read;
  if (signal && signal.scope !== 'request' && signal.scope !== 'credits') {
    const limitType = limitTypeOfSignal(signal);
    upstreamSeen(reply.status, limitType);
    const effect = await markRateLimited(ctx, account, model, signal, at);
    await ctx.quota.uncount(lease, at);
    account.breaker.neutral();
    freeSlot();
    return { kind: 'rate-limited', limitType, resetsAt: effect.kept.until };
  }
  upstreamSeen(reply.status, null);
  const error = descriptor.translateError(reply.status, reply.headers, text);
  if (!isFailureStatus(reply.status)) await ctx.quota.uncount(lease, at);
  freeSlot();
  if (signal?.scope === 'credits') {
    account.breaker.neutral();
    markInvalid(ctx, account, `${descriptor.name}: the account's credits or billing ran out — ${signal.message}. Add credits, then reset the account.`);
    return { kind: 'invalid' };
  }
  if (!signal && reply.status === 401) {
    account.breaker.neutral();
    markInvalid(ctx, account, error.message);
    return { kind: 'invalid' };
  }
  if (!signal && reply.status === 403) {
    account.breaker.neutral();
    markForbidden(ctx, account, model);
    return { kind: 'forbidden' };
  }
  if (!signal && isFailureStatus(reply.status)) {
    ctx.logger.warn({ tag: 'upstream', account: account.key, provider: account.provider, model, status: reply.status }, `${descriptor.name} answered ${reply.status} on ${account.key}: ${error.message}`);
    recordFailure(ctx, account, at);
    return { kind: 'failed', status: reply.status, message: error.message, timeout: reply.status === 408 || reply.status === 504 };
  }
  account.breaker.neutral();
  return { kind: 'client-error', error: new ProxyError(error.status, error.type as ErrorType, error.message, { code: error.code, param: error.param }) };
}

/**
 * How a send was chosen, and so what its reservation checks. The store checks on the server what
 * the forecast saw here, so replicas sharing a store cannot together pass a limit each saw room in:
 * - `send`: the forecast had room; the reservation checks the same limits (per minute, per day, in flight).
 * - `probe`: the forecast advised against it; upstream decides. It waits, on every replica, for
 *   any other unanswered probe of the (owner, model), and once a probe went in this minute window,
 *   for every other unanswered request of it (quota-store.ts, `ReserveRequest.probe`: two probes
 *   in one window were two 429s). It does not wait for an in-flight slot: held there, waiting
 *   probes pile up and all go at once when their wait runs out (the quota bench showed it: 17 429s
 *   in a window).
 * - `late-probe`: a probe whose wait for the other probe ran out: only blocks refuse it.
 */
export type SendKind = 'send' | 'probe' | 'late-probe';

export function reserveRequest(quota: QuotaStore, account: AccountState, model: TierInput, kind: SendKind, now: number): ReserveRequest {
  const base = { owner: ownerOf(account), model: model.id, account: account.key, now };
  if (kind === 'late-probe') return { ...base, limits: null };
  const limits = effectiveLimits(quota, account, model);
  if (kind === 'probe') return { ...base, limits: null, probe: true };
  return { ...base, limits: limits ? { perMinute: limits.perMinute, perDay: limits.perDay, concurrent: limits.concurrent } : null };
}

/** Bytes of a stream's end kept to find its usage chunk. */
const TAIL_BYTES = 8192;

/**
 * `usage.total_tokens` of an upstream chat or embeddings answer, read without parsing the whole
 * body (the usage object comes last in OpenAI's shape; a full JSON.parse per request showed up in
 * profiles). Works on a JSON body and on the tail of an SSE stream alike.
 */
export function usageTokens(text: string): number | null {
  const at = text.lastIndexOf('"usage"');
  if (at < 0) return null;
  const match = /"total_tokens"\s*:\s*(\d+)/.exec(text.slice(at, at + 400));
  return match ? Number(match[1]) : null;
}

/** usageTokens of a body still in bytes: only the bytes after the last `"usage"` are decoded. */
export function usageTokensOf(bytes: Buffer): number | null {
  const at = bytes.lastIndexOf('"usage"');
  return at < 0 ? null : usageTokens(bytes.subarray(at, at + 400).toString('utf8'));
}

/**
 * On a leased body whose answer was already whole (JSON): hands the bytes over without reading
 * the stream, and ends the lease as reading it to its end would (relayJson takes it: no stream
 * machinery per JSON answer).
 */
export const TAKE_WHOLE = Symbol('take whole body');
export type WholeBody = Readable & { [TAKE_WHOLE]?: () => Buffer };

/**
 * The reply body handed to the proxy, holding the request's lease: when it has been read to its
 * end, `done` gets the tokens the answer reports; when it is destroyed or fails first, `done` gets
 * null. Called exactly once. A JSON answer is already whole (`whole`); a stream passes through,
 * keeping its last few KB (as buffers, decoded once at the end).
 */
export function leasedBody(body: Readable, whole: Buffer | null, done: (tokens: number | null) => void): Readable {
  let settled = false;
  const settle = (tokens: number | null) => {
    if (settled) return;
    settled = true;
    done(tokens);
  };
  if (whole) {
    const out: WholeBody = new Readable({
      read() {
        this.push(whole);
        this.push(null);
      },
      // Destroyed before its end was read (after it, the tokens are settled already): no 'close' listener per answer.
      destroy(error, callback) {
        settle(null);
        callback(error);
      },
    });
    out.once('end', () => settle(usageTokensOf(whole)));
    out[TAKE_WHOLE] = () => {
      settle(usageTokensOf(whole));
      return whole;
    };
    return out;
  }
  const tail: Buffer[] = [];
  let tailBytes = 0;
  const out = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      tail.push(chunk);
      tailBytes += chunk.length;
      while (tail.length > 1 && tailBytes - tail[0]!.length >= TAIL_BYTES) tailBytes -= tail.shift()!.length;
      callback(null, chunk);
    },
  });
  out.once('end', () => settle(usageTokens(Buffer.concat(tail).toString('utf8'))));
  out.once('close', () => {
    settle(null);
    body.destroy();
  });
  body.once('error', (err) => out.destroy(err));
  body.pipe(out);
  return out;
}

/**
 * What upstream's answers say about the window limits we forecast (see memory-quota-store.ts, LimitBook).
 */

/** A 429 stated its limit N: N equal to the forecast's limit confirms it; another N replaces it. */
export async function heedStatedLimit(ctx: Pick<PoolParts, 'logger' | 'quota'>, account: AccountState, model: TierInput, message: string, now: number): Promise<void> {
  const stated = statedLimit(message);
  if (!stated || !isCounted(stated.limitType)) return;
  const limits = effectiveLimits(ctx.quota, account, model);
  if (!limits) return;
  const type = stated.limitType;
  const forecast = type === 'UserByModelByMinute' ? limits.perMinute : limits.perDay;
  const confirmed = stated.limit === forecast;
  const owner = ownerOf(account);
  const before = ctx.quota.limits(owner, model.id)[type];
  await ctx.quota.noteLimit(owner, model.id, type, { limit: stated.limit, confirmed, at: now });
  if (before && before.confirmed === confirmed && before.limit === stated.limit) return;
  const who = accountLabel(account.key, account.login);
  const fields = { tag: 'limit', account: account.key, login: account.login, model: model.id, limitType: type, limit: stated.limit, forecast };
  if (confirmed) ctx.logger.info(fields, `GitHub confirmed the ${type} limit of ${stated.limit} for ${who} on ${model.id}`);
  else ctx.logger.warn(fields, `GitHub states a ${type} limit of ${stated.limit} for ${who} on ${model.id} (forecast: ${forecast}); using ${stated.limit}`);
}

/**
 * A 2xx whose rate-limit headers say a window of its (owner, model) has nothing left: the block the
 * next request's 429 would bring, which the caller puts in force without earning that 429
 * (providers.md §1.4). Null for most answers, and for providers that send no such headers (Gemini,
 * OpenRouter, GitHub): the served path then awaits nothing more.
 */
export function spentAhead(account: AccountState, headers: Record<string, string>, now: number): LimitSignal | null {
  const descriptor = providerFor(account.provider);
  return spentSignal(descriptor.readRemaining(headers, now), now, descriptor.name);
}

/**
 * A 2xx for a request counted beyond a limit a 429 stated (only a probe is sent there): that
 * limit is wrong, so it is dropped and the documented one applies again.
 */
export async function heedServed(ctx: Pick<PoolParts, 'logger' | 'quota'>, account: AccountState, model: string, positions: Positions): Promise<void> {
  const owner = ownerOf(account);
  const stated = ctx.quota.limits(owner, model);
  for (const type of COUNTED_TYPES) {
    const note = stated[type];
    const position = type === 'UserByModelByMinute' ? positions.minute : positions.day;
    if (!note || position <= note.limit) continue;
    await ctx.quota.dropLimit(owner, model, type);
    ctx.logger.warn(
      { tag: 'limit', account: account.key, login: account.login, model, limitType: type, limit: note.limit, position },
      `GitHub served request ${position} of a window on ${accountLabel(account.key, account.login)} for ${model}, beyond the ${type} limit of ${note.limit} it stated; back to the documented limits`,
    );
  }
}


/** "Rate limit of N per Ws exceeded for Type": the limit and its type, or null. */
export function statedLimit(message: string): { limit: number; limitType: string } | null {
  const m = /Rate limit of (\d+) per \d+s exceeded for ([A-Za-z]+)/.exec(message);
  return m ? { limit: Number(m[1]), limitType: m[2]! } : null;
}

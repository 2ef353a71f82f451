import { ExponentialBackoff, type IBackoff, noJitterGenerator } from 'cockatiel';
import { ProxyError } from '../errors';
import { type AccountState, blockerUntil, isRateLimit } from './account';
import { attempt, type AttemptOutcome, type SendKind } from './attempt';
import { nextStep, startProbe, type Step } from './choose';
import { clientLeft, DeadlinePassed } from './deadline';
import { enterExhaustion } from './exhausted';
import { cancelSweep, retireProvider, sweepIfDue, sweepSoon } from './health';
import { createParts, type PoolParts } from './parts';
import { restoreLedger, serializeLedger } from './persist';
import type { PoolDeps, RotationReason } from './pool-deps';
import { clientGone, deadlineExceeded, type FailureNote, poolClosed, refusal, upstreamFailure } from './refusal';
import { resetMarks } from './reset';
import { setAccounts } from './resolve';
import { retirementOf } from './retirement';
import type { DispatchRequest, DispatchResult, Pool } from './types';
import { buildSnapshot } from './view';

/**
 * The account pool: limit-aware rotation over every provider's accounts. One instance per engine;
 * all its parts are wired here, once. Each client request is one RequestRun (below).
 */
export function createPool(deps: PoolDeps): Pool {
  const ctx = createParts(deps);
  // Another replica's change (a shared store) may free what a waiting request waits for, and views show it.
  const offQuota = ctx.quota.onChange?.(() => {
    ctx.sweeper.quietUntil = Number.NEGATIVE_INFINITY;
    ctx.waker.wakeAll();
    ctx.signals.notify();
  });
  return {
    setAccounts: (accounts) => setAccounts(ctx, accounts),
    dispatch: (request) => dispatch(ctx, request),
    snapshot: () => {
      sweepSoon(ctx);
      return buildSnapshot(ctx);
    },
    reset: (target) => resetMarks(ctx, target),
    serialize: () => serializeLedger(ctx),
    restore: async (ledger) => {
      try {
        await restoreLedger(ctx, ledger);
      } catch (err) {
        ctx.logger.error({ tag: 'ledger', err: err instanceof Error ? err.message : String(err) }, 'Could not restore the quota ledger; starting empty');
      }
    },
    onChange: (listener) => ctx.signals.onChange(listener),
    retire: (provider) => retireProvider(ctx, retirementOf(provider)) !== null,
    isRetired: (provider) => ctx.retired.has(provider),
    close: async () => {
      ctx.sweeper.closed = true;
      cancelSweep(ctx);
      offQuota?.();
      ctx.waker.wakeAll();
    },
  };
}

/** Rounds of retries over accounts that all failed with 5xx / network errors. */
export const MAX_RETRY_ROUNDS = 3;
const backoffPolicy = () => new ExponentialBackoff({ generator: noJitterGenerator, initialDelay: 250, maxDelay: 4_000 }).next();

interface Rotation {
  from: AccountState;
  reason: RotationReason;
  resetsAt: number | null;
}

/** One reason for every disarmed deadline timer: `abort()` without one builds a DOMException (and its stack) per request. */
const DISARMED = new Error('request finished');

/** What a step decided: go on choosing, or the request's answer. */
type Next = { done: false } | { done: true; result: DispatchResult };
const AGAIN: Next = { done: false };

/**
 * One client request: throttle, then choose an account, send, and on a 429 / 401 / 403 / 410 /
 * 5xx move on to the next eligible account before the client hears anything. Waits (pacing, a
 * reset within maxWaitMs, backoff) are bounded by the request's deadline and stop at once on
 * abort. One object per request holds what the steps share.
 */
export class RequestRun {
  private readonly settings;
  private readonly model: string;
  private readonly started: number;
  private readonly deadlineMs: number;
  /**
   * One controller stops the request's waits and upstream call, whether the client hangs up or
   * the deadline passes (cheaper than AbortSignal.any). It is never aborted on success, so a
   * streamed reply keeps going after dispatch returns, and still stops when the client hangs up.
   */
  private readonly stop: AbortController;
  /** Cancels the deadline timer once the request has its answer. */
  private disarm: () => void = () => {};
  private pastDeadline = false;

  private attempts = 0;
  private waitedMs = 0;
  private pacedMs = 0;
  private resetWaitedMs = 0;
  private probeWaitedMs = 0;
  private rounds = 0;
  private backoff: IBackoff<unknown> = backoffPolicy();
  private rotation: Rotation | null = null;
  private lastFailure: FailureNote | null = null;
  private lastAccount: string | null = null;
  private readonly failedHere = new Set<string>();

  constructor(
    private readonly ctx: PoolParts,
    private readonly req: DispatchRequest,
  ) {
    const settings = ctx.deps.settings();
    // A route's target is tried without waiting: the route waits for the earliest reset of all its targets.
    this.settings = req.maxWaitMs === undefined ? settings : { ...settings, maxWaitMs: Math.min(settings.maxWaitMs, req.maxWaitMs) };
    this.model = req.model.id;
    this.stop = req.controller ?? new AbortController();
    this.started = ctx.clock.now();
    this.deadlineMs = this.settings.timeouts.totalDeadlineMs;
  }

  private get signal(): AbortSignal {
    return this.stop.signal;
  }

  async run(): Promise<DispatchResult> {
    const { ctx, req } = this;
    ctx.models.set(this.model, { id: this.model, provider: req.provider ?? 'github', ...(req.model.rate_limit_tier ? { rate_limit_tier: req.model.rate_limit_tier } : {}) });
    this.armDeadline();
    try {
      // The model's spacing applies once per request, before choosing: the choice and the
      // reservation (in attempt) then happen with no wait in between, and there is one choice.
      this.waitedMs += await ctx.throttle.acquire(this.model, this.settings.throttling, this.signal);
      for (;;) {
        const next = await this.step();
        if (next.done) return next.result;
      }
    } catch (err) {
      return this.failed(err);
    } finally {
      this.disarm();
    }
  }

  private armDeadline(): void {
    const { req, stop } = this;
    // A lent controller is the client's own: it aborts when the client hangs up, with nothing to forward.
    if (req.controller === undefined) {
      if (req.signal.aborted) stop.abort(req.signal.reason);
      else req.signal.addEventListener('abort', () => stop.abort(req.signal.reason), { once: true });
    }
    const expire = () => {
      this.pastDeadline = true;
      stop.abort(new DeadlinePassed());
    };
    const { clock } = this.ctx;
    if (clock.after) {
      this.disarm = clock.after(this.deadlineMs, expire);
      return;
    }
    const disarm = new AbortController();
    this.disarm = () => disarm.abort(DISARMED);
    clock.sleep(this.deadlineMs, disarm.signal).then(expire, () => {});
  }

  /** Chooses the next step and takes it. */
  private async step(): Promise<Next> {
    const { ctx } = this;
    if (this.signal.aborted) throw this.signal.reason;
    if (ctx.sweeper.closed) return this.fail(poolClosed());
    await sweepIfDue(ctx);
    const now = ctx.clock.now();
    const budgets = { paceMs: Math.max(0, this.settings.maxWaitMs - this.pacedMs), probeMs: Math.max(0, this.settings.maxWaitMs - this.probeWaitedMs) };
    const step = nextStep(ctx, this.req.provider ?? 'github', this.req.model, this.failedHere, budgets, now);
    switch (step.kind) {
      case 'send':
        return this.send(step.account, step.index, step.probe ? (budgets.probeMs > 0 ? 'probe' : 'late-probe') : 'send', budgets.probeMs);
      case 'retry-failed':
        return this.retryFailed();
      case 'await-probe':
        ctx.logger.debug({ tag: 'probe', model: this.model }, `Waiting for another request's probe of ${this.model}`);
        this.probeWaitedMs += Math.max(1, await this.waitUpTo(budgets.probeMs, true));
        return AGAIN;
      case 'pace':
        return this.pace(step.until, now);
      case 'blocked':
        return this.blocked(step.blocked, now);
    }
  }

  /** Sends on one account and reads the outcome. */
  private async send(account: AccountState, index: number, kind: SendKind, probeMs: number): Promise<Next> {
    const { ctx, model } = this;
    if (this.rotation && this.rotation.from.key !== account.key) this.announceRotation(this.rotation, account);
    this.rotation = null;
    this.attempts++;
    this.lastAccount = account.key;
    const endProbe = kind !== 'send' ? startProbe(ctx, account, model) : null;
    let outcome: AttemptOutcome | undefined;
    try {
      outcome = await attempt(ctx, account, this.req, this.signal, kind);
    } finally {
      // A probe the store refused never went: nothing changed that a waiter could use, so it wakes
      // nobody (waking them made refused probes and re-plans chase each other without end).
      endProbe?.(outcome?.kind !== 'refused');
    }
    switch (outcome.kind) {
      case 'served':
        ctx.book.current = account.key;
        ctx.book.lastIndex = index;
        ctx.exhausted.delete(model);
        ctx.signals.notify();
        ctx.signals.observe({ type: 'outcome', account: account.key, model, outcome: 'served' });
        return { done: true, result: { ok: true, account: account.key, reply: outcome.reply, attempts: this.attempts, waitedMs: this.waitedMs } };
      case 'rate-limited':
        this.rotation = { from: account, reason: outcome.limitType, resetsAt: outcome.resetsAt };
        return AGAIN;
      case 'invalid':
      case 'forbidden':
        this.rotation = { from: account, reason: outcome.kind, resetsAt: null };
        return AGAIN;
      case 'retired':
        this.rotation = null;
        return AGAIN;
      case 'failed':
        this.failedHere.add(account.key);
        this.lastFailure = { status: outcome.status, message: outcome.message, timeout: outcome.timeout };
        this.rotation = { from: account, reason: 'error', resetsAt: null };
        return AGAIN;
      case 'client-error':
        return this.fail(outcome.error);
      case 'refused':
        this.attempts--;
        // A probe held back (another replica's probe is out): wait for its answer, within the
        // probe budget, like a local probe's. Else the store's answer is now in its copy, and
        // the next choice sees it.
        if (outcome.refusal.kind === 'probing') {
          ctx.logger.debug({ tag: 'probe', model }, `Waiting for another replica's probe of ${model}`);
          this.probeWaitedMs += Math.max(1, await this.waitUpTo(probeMs, true));
        }
        return AGAIN;
      case 'stopped':
        throw this.signal.reason;
    }
  }

  /** Only accounts that failed on this request are left: back off, then try them again. */
  private async retryFailed(): Promise<Next> {
    this.rounds++;
    if (this.rounds >= MAX_RETRY_ROUNDS && this.lastFailure) return this.fail(upstreamFailure(this.model, this.lastFailure));
    const ms = this.backoff.duration;
    this.backoff = this.backoff.next(undefined);
    this.ctx.logger.debug({ tag: 'retry', model: this.model, round: this.rounds, delayMs: ms }, `Every account failed for ${this.model}; retrying in ${ms} ms`);
    await this.waitUpTo(ms, false);
    this.failedHere.clear();
    return AGAIN;
  }

  /** Our counts say the usable accounts are at a cap: wait briefly, within the budget. */
  private async pace(until: number | null, now: number): Promise<Next> {
    const budget = this.settings.maxWaitMs - this.pacedMs;
    const ms = Math.min(budget, until === null ? budget : until - now);
    if (ms <= 0) {
      this.pacedMs = this.settings.maxWaitMs;
      return AGAIN;
    }
    this.ctx.logger.debug({ tag: 'pace', model: this.model, delayMs: ms }, `Pacing ${this.model} for up to ${ms} ms`);
    this.pacedMs += Math.max(1, await this.waitUpTo(ms, true));
    return AGAIN;
  }

  /** No enabled account can take the model now: wait for the earliest reset within the budget, or refuse. */
  private async blocked(blocked: Extract<Step, { kind: 'blocked' }>['blocked'], now: number): Promise<Next> {
    const { ctx, model } = this;
    const timed = blocked.map((b) => blockerUntil(b.blocker)).filter((t): t is number => t !== null);
    const probing = blocked.some((b) => b.blocker.kind === 'breaker-half-open');
    const budget = this.settings.maxWaitMs - this.resetWaitedMs;
    const earliest = timed.length > 0 ? Math.min(...timed) : probing ? now + budget : null;
    if (blocked.some((b) => isRateLimit(b.blocker))) enterExhaustion(ctx, model, timed.length > 0 ? Math.min(...timed) : null);
    if (earliest !== null && earliest - now <= budget && earliest < this.started + this.deadlineMs && budget > 0) {
      ctx.logger.info({ tag: 'wait', model, untilMs: earliest - now }, `Every account is blocked for ${model}; waiting ${earliest - now} ms for the earliest reset`);
      this.resetWaitedMs += Math.max(1, await this.waitUpTo(earliest - now, true));
      return AGAIN;
    }
    return this.fail(refusal(model, blocked, this.lastFailure, now));
  }

  private async waitUpTo(ms: number, wakeable: boolean): Promise<number> {
    const { ctx } = this;
    const from = ctx.clock.now();
    ctx.occupancy.waiting++;
    ctx.occupancy.report();
    ctx.signals.notify();
    try {
      if (wakeable) await ctx.waker.wait(ms, this.signal, this.req.provider ?? 'github', this.model);
      else await ctx.clock.sleep(ms, this.signal);
    } finally {
      ctx.occupancy.waiting--;
      ctx.occupancy.report();
      ctx.signals.notify();
    }
    const elapsed = ctx.clock.now() - from;
    this.waitedMs += elapsed;
    return elapsed;
  }

  private announceRotation(rotation: Rotation, to: AccountState): void {
    const { ctx, model } = this;
    const { from, reason, resetsAt } = rotation;
    ctx.traffic.record(ctx.clock.now(), from.key, 'rotated');
    ctx.logger.info({ tag: 'rotation', from: from.key, to: to.key, model, reason, resetsAt }, `[TOKEN-ROTATOR] Switching from ${from.key} to ${to.key} for ${model} (${reason})`);
    ctx.signals.emit({ kind: 'rotated', from: from.key, to: to.key, model, reason, resetsAt });
    ctx.signals.observe({ type: 'rotation', from: from.key, to: to.key, model, reason });
  }

  private fail(error: ProxyError): Next {
    return { done: true, result: this.refuse(error) };
  }

  private refuse(error: ProxyError): DispatchResult {
    const limited = error.status === 429;
    this.ctx.signals.observe({ type: 'outcome', account: limited ? null : this.lastAccount, model: this.model, outcome: limited ? 'rate_limited' : 'error' });
    return { ok: false, error };
  }

  /** What a thrown error means for the client: it hung up, the deadline passed, or a refusal. */
  private failed(err: unknown): DispatchResult {
    if (clientLeft(this.req)) return this.refuse(clientGone());
    if (this.pastDeadline) return this.refuse(deadlineExceeded(this.model, this.deadlineMs, this.lastFailure));
    if (err instanceof ProxyError) return this.refuse(err);
    this.ctx.logger.error({ tag: 'pool', model: this.model, err: err instanceof Error ? err.message : String(err) }, 'dispatch failed unexpectedly');
    return this.refuse(new ProxyError(500, 'server_error', 'Switchyard failed to dispatch the request.', { code: 'internal_error' }));
  }
}

/** Runs one client request (see RequestRun). */
export const dispatch = (ctx: PoolParts, req: DispatchRequest): Promise<DispatchResult> => new RequestRun(ctx, req).run();

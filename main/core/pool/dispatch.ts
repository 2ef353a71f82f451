import { ExponentialBackoff, noJitterGenerator, type IBackoff } from 'cockatiel';
import { ProxyError } from '../errors';
import type { AccountState } from './accounts';
import { attempt, type AttemptOutcome } from './attempt';
import { emit, notify, observe, observeQueue, type PoolContext } from './context';
import { blockerUntil, isRateLimit } from './account-health';
import { enterExhaustion } from './exhausted';
import type { RotationReason } from './observations';
import { clientGone, deadlineExceeded, poolClosed, refusal, upstreamFailure, type FailureNote } from './refusal';
import { startProbe } from './probes';
import { nextStep } from './step';
import { sweep } from './sweep';
import type { DispatchRequest, DispatchResult } from './types';

/** Rounds of retries over accounts that all failed with 5xx / network errors. */
export const MAX_RETRY_ROUNDS = 3;
const backoffPolicy = () => new ExponentialBackoff({ generator: noJitterGenerator, initialDelay: 250, maxDelay: 4_000 }).next();

interface Rotation {
  from: AccountState;
  reason: RotationReason;
  resetsAt: number | null;
}

function announceRotation(ctx: PoolContext, rotation: Rotation, to: AccountState, model: string): void {
  const { from, reason, resetsAt } = rotation;
  ctx.traffic.record(ctx.clock.now(), from.key, 'rotated');
  ctx.logger.info({ tag: 'rotation', from: from.key, to: to.key, model, reason, resetsAt }, `[TOKEN-ROTATOR] Switching from ${from.key} to ${to.key} for ${model} (${reason})`);
  emit(ctx, { kind: 'rotated', from: from.key, to: to.key, model, reason, resetsAt });
  observe(ctx, { type: 'rotation', from: from.key, to: to.key, model, reason });
}

/** One reason for every disarmed deadline timer: `abort()` without one builds a DOMException (and its stack) per request. */
const DISARMED = new Error('request finished');

/**
 * One client request: throttle, choose an account, send, and on a 429 / 401 / 403 / 5xx move on
 * to the next eligible account before the client hears anything. Waits (pacing, a reset within
 * maxWaitMs, backoff) are bounded by the request's deadline and stop at once on abort.
 */
export async function dispatch(ctx: PoolContext, req: DispatchRequest): Promise<DispatchResult> {
  const { clock } = ctx;
  const settings = ctx.deps.settings();
  const model = req.model.id;
  const started = clock.now();
  const deadlineMs = settings.timeouts.totalDeadlineMs;
  ctx.models.set(model, { id: model, ...(req.model.rate_limit_tier ? { rate_limit_tier: req.model.rate_limit_tier } : {}) });

  // One controller stops the request's waits and upstream call, whether the client hangs up or the
  // deadline passes (cheaper than AbortSignal.any). It is never aborted on success, so a streamed
  // reply keeps going after dispatch returns, and still stops when the client hangs up.
  const stop = new AbortController();
  const signal = stop.signal;
  let pastDeadline = false;
  if (req.signal.aborted) stop.abort(req.signal.reason);
  else req.signal.addEventListener('abort', () => stop.abort(req.signal.reason), { once: true });
  const disarm = new AbortController();
  clock.sleep(deadlineMs, disarm.signal).then(
    () => {
      pastDeadline = true;
      stop.abort(new Error('deadline'));
    },
    () => {},
  );

  let attempts = 0;
  let waitedMs = 0;
  let pacedMs = 0;
  let resetWaitedMs = 0;
  let probeWaitedMs = 0;
  let rounds = 0;
  let backoff: IBackoff<unknown> = backoffPolicy();
  let rotation: Rotation | null = null;
  let lastFailure: FailureNote | null = null;
  let lastAccount: string | null = null;
  let throttled = false;
  const failedHere = new Set<string>();

  const fail = (error: ProxyError): DispatchResult => {
    observe(ctx, { type: 'outcome', account: error.status === 429 ? null : lastAccount, model, outcome: error.status === 429 ? 'rate_limited' : 'error' });
    return { ok: false, error };
  };
  const waitUpTo = async (ms: number, wakeable: boolean): Promise<number> => {
    const from = clock.now();
    ctx.waiting++;
    observeQueue(ctx);
    notify(ctx);
    try {
      if (wakeable) await ctx.waker.wait(ms, signal);
      else await clock.sleep(ms, signal);
    } finally {
      ctx.waiting--;
      observeQueue(ctx);
      notify(ctx);
    }
    const elapsed = clock.now() - from;
    waitedMs += elapsed;
    return elapsed;
  };

  try {
    for (;;) {
      if (signal.aborted) throw signal.reason;
      if (ctx.closed) return fail(poolClosed());
      await sweep(ctx);
      const now = clock.now();
      const budgets = { paceMs: Math.max(0, settings.maxWaitMs - pacedMs), probeMs: Math.max(0, settings.maxWaitMs - probeWaitedMs) };
      const step = nextStep(ctx, req.model, failedHere, budgets, now);

      if (step.kind === 'send') {
        if (!throttled) {
          // The model's spacing applies once per request, just before it first goes upstream.
          // acquire() is awaited even when throttling is off, and other requests may take the
          // chosen account's slot meanwhile: always choose again after it, so that the choice
          // and ledger.begin (in attempt) happen with no await in between.
          throttled = true;
          waitedMs += await ctx.throttle.acquire(model, settings.throttling, signal);
          continue;
        }
        const account = step.account;
        if (rotation && rotation.from.key !== account.key) announceRotation(ctx, rotation, account, model);
        rotation = null;
        attempts++;
        lastAccount = account.key;
        const endProbe = step.probe ? startProbe(ctx, account, model) : null;
        let outcome: AttemptOutcome;
        try {
          outcome = await attempt(ctx, account, req, signal);
        } finally {
          endProbe?.();
        }
        switch (outcome.kind) {
          case 'served':
            ctx.current = account.key;
            ctx.lastIndex = step.index;
            ctx.exhausted.delete(model);
            notify(ctx);
            observe(ctx, { type: 'outcome', account: account.key, model, outcome: 'served' });
            return { ok: true, account: account.key, reply: outcome.reply, attempts, waitedMs, release: outcome.release };
          case 'rate-limited':
            rotation = { from: account, reason: outcome.limitType, resetsAt: outcome.resetsAt };
            continue;
          case 'invalid':
          case 'forbidden':
            rotation = { from: account, reason: outcome.kind, resetsAt: null };
            continue;
          case 'failed':
            failedHere.add(account.key);
            lastFailure = { status: outcome.status, message: outcome.message, timeout: outcome.timeout };
            rotation = { from: account, reason: 'error', resetsAt: null };
            continue;
          case 'client-error':
            return fail(outcome.error);
          case 'stopped':
            throw signal.reason;
          case 'retired':
            rotation = null;
            continue;
          case 'refused':
            attempts--;
            continue;
        }
      }

      if (step.kind === 'retry-failed') {
        rounds++;
        if (rounds >= MAX_RETRY_ROUNDS && lastFailure) return fail(upstreamFailure(model, lastFailure));
        const ms = backoff.duration;
        backoff = backoff.next(undefined);
        ctx.logger.debug({ tag: 'retry', model, round: rounds, delayMs: ms }, `Every account failed for ${model}; retrying in ${ms} ms`);
        await waitUpTo(ms, false);
        failedHere.clear();
        continue;
      }

      if (step.kind === 'await-probe') {
        ctx.logger.debug({ tag: 'probe', model }, `Waiting for another request's probe of ${model}`);
        probeWaitedMs += Math.max(1, await waitUpTo(budgets.probeMs, true));
        continue;
      }

      if (step.kind === 'pace') {
        const budget = settings.maxWaitMs - pacedMs;
        const ms = Math.min(budget, step.until === null ? budget : step.until - now);
        if (ms <= 0) {
          pacedMs = settings.maxWaitMs;
          continue;
        }
        ctx.logger.debug({ tag: 'pace', model, delayMs: ms }, `Pacing ${model} for up to ${ms} ms`);
        pacedMs += Math.max(1, await waitUpTo(ms, true));
        continue;
      }

      // Blocked: no enabled account can take the model now.
      const timed = step.blocked.map((b) => blockerUntil(b.blocker)).filter((t): t is number => t !== null);
      const probing = step.blocked.some((b) => b.blocker.kind === 'breaker-half-open');
      const budget = settings.maxWaitMs - resetWaitedMs;
      const earliest = timed.length > 0 ? Math.min(...timed) : probing ? now + budget : null;
      if (step.blocked.some((b) => isRateLimit(b.blocker))) enterExhaustion(ctx, model, timed.length > 0 ? Math.min(...timed) : null);
      if (earliest !== null && earliest - now <= budget && earliest < started + deadlineMs && budget > 0) {
        ctx.logger.info({ tag: 'wait', model, untilMs: earliest - now }, `Every account is blocked for ${model}; waiting ${earliest - now} ms for the earliest reset`);
        resetWaitedMs += Math.max(1, await waitUpTo(earliest - now, true));
        continue;
      }
      return fail(refusal(model, step.blocked, lastFailure, now));
    }
  } catch (err) {
    if (req.signal.aborted) return fail(clientGone());
    if (pastDeadline) return fail(deadlineExceeded(model, deadlineMs, lastFailure));
    if (err instanceof ProxyError) return fail(err);
    ctx.logger.error({ tag: 'pool', model, err: err instanceof Error ? err.message : String(err) }, 'dispatch failed unexpectedly');
    return fail(new ProxyError(500, 'server_error', 'Switchyard failed to dispatch the request.', { code: 'internal_error' }));
  } finally {
    disarm.abort(DISARMED);
  }
}

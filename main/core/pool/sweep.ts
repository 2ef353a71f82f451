import { type PoolParts } from './parts';
import { reportHealth } from './health-observer';
import { endExhaustions } from './exhausted';

/**
 * Notices expired cooldowns (event `cooldown-ended`) and ended exhaustion episodes; wakes waiting
 * requests and views when something changed. Safe to call often.
 */
export async function sweep(ctx: Pick<PoolParts, 'book' | 'clock' | 'exhausted' | 'logger' | 'models' | 'quota' | 'retired' | 'signals' | 'sweeper' | 'traffic' | 'waker'>): Promise<boolean> {
  const expired = await ctx.quota.sweep(ctx.clock.now());
  const now = ctx.clock.now();
  for (const e of expired) reportHealth(ctx, { kind: 'cooldown-ended', expired: e });
  const ended = endExhaustions(ctx, now);
  const changed = expired.length > 0 || ended;
  if (changed) {
    ctx.signals.notify();
    ctx.waker.wakeAll();
  }
  await scheduleSweep(ctx);
  return changed;
}

/**
 * The longest a request's step goes without walking the store (expired entries pruned, a spent
 * window's end re-armed): the walk is O(owners × models), so it runs when something is due, not
 * on every step of every request.
 */
export const SWEEP_EVERY_MS = 1_000;

/**
 * `sweep` when something may be due: an expiry the store knows of has come, SWEEP_EVERY_MS passed
 * since the last walk, or something changed that the last walk did not see (`quietUntil` reset:
 * a new cooldown re-arms through scheduleSweep, another replica's change through onChange).
 * Choosing never depends on it: the store's reads treat a record whose time has come as gone.
 */
export async function sweepIfDue(ctx: Pick<PoolParts, 'book' | 'clock' | 'exhausted' | 'logger' | 'models' | 'quota' | 'retired' | 'signals' | 'sweeper' | 'traffic' | 'waker'>): Promise<boolean> {
  if (ctx.clock.now() < ctx.sweeper.quietUntil) return false;
  return sweep(ctx);
}

/** `sweep` for callers that do not wait for it; a failure is logged, never thrown. */
export function sweepSoon(ctx: Pick<PoolParts, 'book' | 'clock' | 'exhausted' | 'logger' | 'models' | 'quota' | 'retired' | 'signals' | 'sweeper' | 'traffic' | 'waker'>): void {
  sweep(ctx).catch((err: unknown) => ctx.logger.error({ tag: 'pool', err: String(err) }, 'sweep failed'));
}

/** Arms one timer for the next expiry so views hear about it without polling. */
export async function scheduleSweep(ctx: Pick<PoolParts, 'book' | 'clock' | 'exhausted' | 'logger' | 'models' | 'quota' | 'retired' | 'signals' | 'sweeper' | 'traffic' | 'waker'>): Promise<void> {
  if (ctx.sweeper.closed) return;
  const asked = ctx.clock.now();
  const ask = ++ctx.sweeper.asks;
  // Reset first: a change while the store answers is not hidden by this answer (nor by an older one).
  ctx.sweeper.quietUntil = Number.NEGATIVE_INFINITY;
  const next = await ctx.quota.nextExpiry(asked);
  if (ask === ctx.sweeper.asks) ctx.sweeper.quietUntil = Math.min(next ?? Number.POSITIVE_INFINITY, asked + SWEEP_EVERY_MS);
  if (next === null || ctx.sweeper.closed) return;
  if (ctx.sweeper.timer && ctx.sweeper.timer.at <= next && ctx.sweeper.timer.at > ctx.clock.now()) return;
  ctx.sweeper.timer?.cancel.abort();
  const timer = { at: next, cancel: new AbortController() };
  ctx.sweeper.timer = timer;
  ctx.clock.sleep(Math.max(0, next - ctx.clock.now()), timer.cancel.signal).then(
    () => {
      if (ctx.sweeper.timer === timer) ctx.sweeper.timer = null;
      sweepSoon(ctx);
    },
    () => {},
  );
}

export function cancelSweep(ctx: Pick<PoolParts, 'sweeper'>): void {
  ctx.sweeper.timer?.cancel.abort();
  ctx.sweeper.timer = null;
}

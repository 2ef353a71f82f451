import { notify, wake, type PoolContext } from './context';
import { reportHealth } from './health-observer';
import { endExhaustions } from './exhausted';

/**
 * Notices expired cooldowns (event `cooldown-ended`) and ended exhaustion episodes; wakes waiting
 * requests and views when something changed. Safe to call often.
 */
export async function sweep(ctx: PoolContext): Promise<boolean> {
  const expired = await ctx.quota.sweep(ctx.clock.now());
  const now = ctx.clock.now();
  for (const e of expired) reportHealth(ctx, { kind: 'cooldown-ended', expired: e });
  const ended = endExhaustions(ctx, now);
  const changed = expired.length > 0 || ended;
  if (changed) {
    notify(ctx);
    wake(ctx);
  }
  await scheduleSweep(ctx);
  return changed;
}

/** `sweep` for callers that do not wait for it; a failure is logged, never thrown. */
export function sweepSoon(ctx: PoolContext): void {
  sweep(ctx).catch((err: unknown) => ctx.logger.error({ tag: 'pool', err: String(err) }, 'sweep failed'));
}

/** Arms one timer for the next expiry so views hear about it without polling. */
export async function scheduleSweep(ctx: PoolContext): Promise<void> {
  if (ctx.closed) return;
  const next = await ctx.quota.nextExpiry(ctx.clock.now());
  if (next === null || ctx.closed) return;
  if (ctx.sweepTimer && ctx.sweepTimer.at <= next && ctx.sweepTimer.at > ctx.clock.now()) return;
  ctx.sweepTimer?.cancel.abort();
  const timer = { at: next, cancel: new AbortController() };
  ctx.sweepTimer = timer;
  ctx.clock.sleep(Math.max(0, next - ctx.clock.now()), timer.cancel.signal).then(
    () => {
      if (ctx.sweepTimer === timer) ctx.sweepTimer = null;
      sweepSoon(ctx);
    },
    () => {},
  );
}

export function cancelSweep(ctx: PoolContext): void {
  ctx.sweepTimer?.cancel.abort();
  ctx.sweepTimer = null;
}

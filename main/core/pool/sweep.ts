import { emit, notify, wake, type PoolContext } from './context';
import { endExhaustions } from './exhausted';

/**
 * Notices expired cooldowns (event `cooldown-ended`) and ended exhaustion episodes; wakes waiting
 * requests and views when something changed. Safe to call often.
 */
export function sweep(ctx: PoolContext): boolean {
  const now = ctx.clock.now();
  const expired = ctx.ledger.sweep(now);
  for (const e of expired) {
    if (e.kind === 'cap') continue;
    ctx.logger.info({ tag: 'cooldown', account: e.account, model: e.model, subject: e.subject }, `Cooldown ended for ${e.account}${e.model ? ` on ${e.model}` : ''}`);
    emit(ctx, { kind: 'cooldown-ended', account: e.account, model: e.model });
  }
  const ended = endExhaustions(ctx, now);
  const changed = expired.length > 0 || ended;
  if (changed) {
    notify(ctx);
    wake(ctx);
  }
  scheduleSweep(ctx);
  return changed;
}

/** Arms one timer for the next expiry so views hear about it without polling. */
export function scheduleSweep(ctx: PoolContext): void {
  if (ctx.closed) return;
  const next = ctx.ledger.nextExpiry(ctx.clock.now());
  if (next === null) return;
  if (ctx.sweepTimer && ctx.sweepTimer.at <= next && ctx.sweepTimer.at > ctx.clock.now()) return;
  ctx.sweepTimer?.cancel.abort();
  const timer = { at: next, cancel: new AbortController() };
  ctx.sweepTimer = timer;
  ctx.clock.sleep(Math.max(0, next - ctx.clock.now()), timer.cancel.signal).then(
    () => {
      if (ctx.sweepTimer === timer) ctx.sweepTimer = null;
      try {
        sweep(ctx);
      } catch (err) {
        ctx.logger.error({ tag: 'pool', err: String(err) }, 'sweep failed');
      }
    },
    () => {},
  );
}

export function cancelSweep(ctx: PoolContext): void {
  ctx.sweepTimer?.cancel.abort();
  ctx.sweepTimer = null;
}

import { rateLimitInfoOf } from '../upstream/limit-signal';
import type { PoolParts } from './parts';
import type { LimitSignal } from '../providers/types';
import type { Retirement } from '../upstream/retirement';
import type { AccountState } from './account';
import type { CooldownEffect, Expired } from './quota-store';
import { accountLabel, describeReset } from './log-words';

/** What a health transition changed (health.ts; expiries come from the quota store's sweep). */
export type HealthChange =
  | { kind: 'invalid'; account: AccountState; reason: string }
  | { kind: 'forbidden'; account: AccountState; model: string }
  | { kind: 'rate-limited'; account: AccountState; model: string; signal: LimitSignal; effect: CooldownEffect; at: number }
  /** A 2xx said a window has nothing left: blocked until its refill, with no 429 taken. */
  | { kind: 'spent-ahead'; account: AccountState; model: string; signal: LimitSignal; effect: CooldownEffect; at: number }
  | { kind: 'failed'; account: AccountState; at: number; opened: { until: number } | null }
  | { kind: 'breaker-closed'; account: AccountState }
  | { kind: 'retired'; retirement: Retirement; accounts: string[] }
  | { kind: 'cooldown-ended'; expired: Expired };

/** The one observer of health changes: events, log lines, counters, and a word to views and waiters. */
export function reportHealth(ctx: Pick<PoolParts, 'book' | 'logger' | 'signals' | 'traffic' | 'waker'>, change: HealthChange): void {
  switch (change.kind) {
    case 'invalid': {
      const { account, reason } = change;
      ctx.logger.warn({ tag: 'invalid', account: account.key, login: account.login, reason }, `Account ${accountLabel(account.key, account.login)} is invalid: ${reason}`);
      ctx.signals.emit({ kind: 'account-invalid', account: account.key, login: account.login, reason });
      break;
    }
    case 'forbidden': {
      const { account, model } = change;
      ctx.logger.warn({ tag: 'forbidden', account: account.key, model }, `Account ${account.key} may not use ${model} (403)`);
      ctx.signals.emit({ kind: 'model-forbidden', account: account.key, model });
      break;
    }
    case 'rate-limited': {
      const { account, model, signal, effect, at } = change;
      const { kept } = effect;
      ctx.book.totalsOf(account.key).rateLimited++;
      ctx.traffic.record(at, account.key, 'rateLimited');
      const info = rateLimitInfoOf(signal, at);
      ctx.logger.warn(
        { tag: '429', account: account.key, login: account.login, model, limitType: info.limitType, resetSeconds: info.resetSeconds, source: info.source, scope: kept.scope },
        `[429-ERROR] ${accountLabel(account.key, account.login)} on ${model}: ${info.limitType}, usable again ${describeReset(kept.until, at)}`,
      );
      if (signal.clamped) {
        ctx.logger.warn(
          { tag: 'clamp', account: account.key, model, window: signal.window, resetAt: signal.resetAt },
          `The reset stated for ${account.key} on ${model} lies beyond what its ${signal.window.period ?? 'limit'} window allows; it blocks only until ${describeReset(signal.resetAt ?? at, at)}`,
        );
      }
      if (effect.changed) cooldownStarted(ctx, account, model, kept);
      break;
    }
    case 'spent-ahead': {
      const { account, model, signal, effect, at } = change;
      if (!effect.changed) return;
      const { kept } = effect;
      ctx.logger.info(
        { tag: 'spent', account: account.key, login: account.login, model, window: signal.window, limit: signal.limit ?? null, scope: kept.scope, until: kept.until },
        `${accountLabel(account.key, account.login)} on ${model}: ${signal.message} Held ${describeReset(kept.until, at)} instead of earning a 429`,
      );
      cooldownStarted(ctx, account, model, kept);
      break;
    }
    case 'failed': {
      const { account, opened } = change;
      ctx.book.totalsOf(account.key).errors++;
      if (opened) {
        const failures = account.breaker.failures;
        ctx.logger.warn({ tag: 'circuit', account: account.key, failures, until: opened.until }, `Circuit opened for ${account.key} after ${failures} consecutive failures`);
        ctx.signals.emit({ kind: 'circuit-opened', account: account.key, until: opened.until });
      }
      break;
    }
    case 'breaker-closed':
      ctx.logger.info({ tag: 'circuit', account: change.account.key }, `Circuit closed for ${change.account.key}`);
      ctx.signals.emit({ kind: 'recovered', account: change.account.key, model: null });
      ctx.waker.wakeAll();
      return;
    case 'retired': {
      const { retirement, accounts } = change;
      ctx.logger.warn({ tag: 'retired', provider: retirement.provider, accounts }, retirement.message);
      ctx.signals.emit({ kind: 'provider-retired', provider: retirement.provider, message: retirement.message, accounts });
      ctx.waker.wakeAll();
      break;
    }
    case 'cooldown-ended': {
      const e = change.expired;
      if (e.kind === 'cap') return;
      ctx.logger.info({ tag: 'cooldown', account: e.account, model: e.model, owner: e.owner }, `Cooldown ended for ${e.account}${e.model ? ` on ${e.model}` : ''}`);
      ctx.signals.emit({ kind: 'cooldown-ended', account: e.account, model: e.model });
      return;
    }
  }
  ctx.signals.notify();
}

/** A new or longer block of an owner (for one model, or all of them): views, tray and notifications hear it. */
function cooldownStarted(ctx: Pick<PoolParts, 'signals'>, account: AccountState, model: string, kept: CooldownEffect['kept']): void {
  ctx.signals.emit({ kind: 'cooldown-started', account: account.key, login: account.login, model: kept.scope === 'model' ? model : null, limitType: kept.limitType, until: kept.until });
}

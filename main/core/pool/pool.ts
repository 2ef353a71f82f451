import { createParts } from './parts';
import { dispatch } from './request-run';
import type { PoolDeps } from './pool-deps';
import { restoreLedger, serializeLedger } from './persist';
import { resetMarks } from './reset';
import { cancelSweep, retireProvider, sweepSoon } from './health';
import { retirementOf } from './retirement';
import { setAccounts } from './resolve';
import type { Pool } from './types';
import { buildSnapshot } from './view';

/**
 * The account pool: limit-aware rotation over GitHub accounts. One instance per engine; all its
 * parts are wired here, once.
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

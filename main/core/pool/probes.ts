import { subjectOf, type AccountState } from './account-state';
import { type PoolParts } from './parts';

/**
 * Probes: sends the forecast advised against (every usable account looked spent or paced past the
 * wait budget) that go anyway because upstream, not the forecast, decides. At most one is in
 * flight per (login, model): the requests that arrive meanwhile wait for its answer instead of
 * all earning the same 429. A 429 becomes a cooldown they respect; a 2xx means the forecast was
 * wrong, and the next one may probe too.
 */

const probeKey = (account: AccountState, model: string) => `${subjectOf(account)}\n${model}`;

export function probeInFlight(ctx: Pick<PoolParts, 'probes'>, account: AccountState, model: string): boolean {
  return ctx.probes.has(probeKey(account, model));
}

/** Marks a probe in flight (synchronously, before any await); returns its end, which wakes waiters. */
export function startProbe(ctx: Pick<PoolParts, 'probes' | 'waker'>, account: AccountState, model: string): () => void {
  const key = probeKey(account, model);
  ctx.probes.add(key);
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    ctx.probes.delete(key);
    ctx.waker.wakeAll();
  };
}

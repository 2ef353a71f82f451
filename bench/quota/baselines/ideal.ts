import type { ResolvedLimits } from '../../../main/simulator';
import type { CatalogModel } from '../../../main/core/upstream/types';
import type { BenchAccount } from '../scenarios';
import { call, served, tooMany, type StrategyDef, type StrategyEnv } from '../strategy';

type Room =
  | { kind: 'none' }
  | { kind: 'ready'; dayLeft: number; inFlight: number }
  /** Quota left, but the user's concurrency slots are taken: frees when a call ends. */
  | { kind: 'slot' }
  /** A window is full until `at`. */
  | { kind: 'full'; at: number };

function roomOf(env: StrategyEnv, account: BenchAccount, model: CatalogModel): Room {
  const limits: ResolvedLimits | null = env.quota.limitsOf(model, account.plan);
  if (!limits) return { kind: 'none' };
  const u = env.quota.usage(account.login, model.id);
  if (u.day.count >= limits.perDay) return u.day.resetsAt === null ? { kind: 'none' } : { kind: 'full', at: u.day.resetsAt };
  if (u.minute.count >= limits.perMinute) return u.minute.resetsAt === null ? { kind: 'none' } : { kind: 'full', at: u.minute.resetsAt };
  if (u.inFlight >= limits.concurrent) return { kind: 'slot' };
  return { kind: 'ready', dayLeft: limits.perDay - u.day.count, inFlight: u.inFlight };
}

/**
 * The reference scheduler, not a real strategy: it reads the simulator's quota model directly
 * (read-only), so it sends only where a request will be granted and never earns a 429. A request
 * goes to the account with a free slot and quota (fewest in flight, then most quota left today);
 * when none has both it waits for the next window reset or freed slot, up to the engine's bounded
 * wait (maxWaitMs), then answers 429. What it serves is what a perfect engine could serve.
 */
export const ideal: StrategyDef = {
  id: 'ideal',
  label: 'ideal scheduler (reads the quota model)',
  async create(env) {
    const { clock, upstream, accounts, maxWaitMs } = env;
    const waiters = new Set<() => void>();
    const stop = upstream.onRelease(() => {
      const all = [...waiters];
      waiters.clear();
      for (const w of all) w();
    });

    return {
      async handle(request) {
        const deadline = clock.now() + maxWaitMs;
        for (;;) {
          const now = clock.now();
          const rooms = accounts.map((a, i) => ({ i, room: roomOf(env, a, request.model) }));
          const ready = rooms.flatMap(({ i, room }) => (room.kind === 'ready' ? [{ i, ...room }] : []));
          if (ready.length > 0) {
            ready.sort((a, b) => a.inFlight - b.inFlight || b.dayLeft - a.dayLeft || a.i - b.i);
            const result = await call(upstream, accounts[ready[0]!.i]!.token, request);
            if (result.status === 200) return served();
            continue;
          }
          const resets = rooms.flatMap(({ room }) => (room.kind === 'full' ? [room.at] : []));
          const slotSoon = rooms.some(({ room }) => room.kind === 'slot');
          const next = resets.length > 0 ? Math.min(...resets) : null;
          if (next === null && !slotSoon) return { status: 403, retryAfterSeconds: null };
          const canWait = slotSoon || (next !== null && next <= deadline);
          if (!canWait || now >= deadline) return tooMany(next ?? now + 1000, now);
          const wake = new AbortController();
          const onRelease = () => wake.abort();
          waiters.add(onRelease);
          await clock.sleep(Math.min(next ?? deadline, deadline) - now, wake.signal).catch(() => {});
          waiters.delete(onRelease);
        }
      },
      async close() {
        stop();
      },
    };
  },
};

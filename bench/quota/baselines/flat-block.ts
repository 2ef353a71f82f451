import { call, served, tooMany, type StrategyDef } from '../strategy';

/** How long baseline (b) blocks a token after any 429. */
export const FLAT_BLOCK_MS = 60_000;

/**
 * Baseline (b): a common rotator. Stays on the current token while it serves; any 429 blocks the
 * whole token (every model) for a flat 60 s, ignoring the limit type and `retry-after`, and the
 * request moves on to the next unblocked token at once. A 403 (no access to the model) moves on
 * without blocking. When no unblocked token is left the client gets a 429 at once, Retry-After =
 * until the first one unblocks.
 */
export const flatBlock: StrategyDef = {
  id: 'flat-60s',
  label: '(b) block token 60 s on any 429',
  async create({ clock, upstream, accounts }) {
    const n = accounts.length;
    const blockedUntil = accounts.map(() => 0);
    let current = 0;

    return {
      async handle(request) {
        const tried = new Set<number>();
        let last: { status: number; retryAfterSeconds: number | null } | null = null;
        for (;;) {
          const now = clock.now();
          const order = [...Array(n).keys()].map((k) => (current + k) % n);
          const i = order.find((j) => !tried.has(j) && blockedUntil[j]! <= now);
          if (i === undefined) {
            const blocked = blockedUntil.filter((t) => t > now);
            if (blocked.length > 0) return tooMany(Math.min(...blocked), now);
            return last ?? { status: 429, retryAfterSeconds: 60 };
          }
          tried.add(i);
          const result = await call(upstream, accounts[i]!.token, request);
          if (result.status === 200) {
            current = i;
            return served();
          }
          last = result;
          if (result.status === 429) blockedUntil[i] = clock.now() + FLAT_BLOCK_MS;
          else if (result.status !== 403) return result;
        }
      },
      async close() {},
    };
  },
};

import { call, served, tooMany, type StrategyDef } from '../strategy';

/**
 * Baseline (a), the system Switchyard replaces. One current token serves every model. A request
 * goes upstream once, on the current token, and whatever upstream answers (a 429 included) goes
 * back to the client. A 2xx resets the token's count of consecutive 429s; the third consecutive
 * 429 switches to the next token and blocks the whole token (every model) for that 429's
 * `retry-after` (60 s if it has none). When every token is blocked the client gets a 429 at once,
 * Retry-After = until the first one unblocks.
 */
export const oldSystem: StrategyDef = {
  id: 'old-system',
  label: '(a) old: 3 x 429 then switch, block token',
  async create({ clock, upstream, accounts }) {
    const n = accounts.length;
    const failures = accounts.map(() => 0);
    const blockedUntil = accounts.map(() => 0);
    let current = 0;

    return {
      async handle(request) {
        const now = clock.now();
        if (blockedUntil[current]! > now) {
          const next = [...Array(n).keys()].map((k) => (current + 1 + k) % n).find((i) => blockedUntil[i]! <= now);
          if (next === undefined) return tooMany(Math.min(...blockedUntil), now);
          current = next;
        }
        const i = current;
        const result = await call(upstream, accounts[i]!.token, request);
        if (result.status === 200) {
          failures[i] = 0;
          return served();
        }
        if (result.status === 429) {
          failures[i]!++;
          if (failures[i]! >= 3) {
            failures[i] = 0;
            blockedUntil[i] = clock.now() + (result.retryAfterSeconds ?? 60) * 1000;
            if (current === i) current = (i + 1) % n;
          }
        }
        return { status: result.status, retryAfterSeconds: result.retryAfterSeconds };
      },
      async close() {},
    };
  },
};

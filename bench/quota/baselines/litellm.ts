import { mulberry32 } from '../../../main/simulator/prng';
import { call, served, tooMany, type StrategyDef } from '../strategy';

/** LiteLLM's default cooldown when a 429 carries no retry-after. */
export const LITELLM_DEFAULT_COOLDOWN_MS = 5_000;

/**
 * Baseline (c), LiteLLM-style: each (token, model) is a deployment. Picks at random among the
 * model's deployments that are not cooling (LiteLLM's default "simple-shuffle"); a 429 cools that
 * deployment down for `retry-after` (set, not extended: LiteLLM's re-cooling bug) and the request
 * is retried on another; a 403 moves on without a cooldown. When every deployment of the model is
 * cooling or was tried, the client gets a 429 at once, Retry-After = until the first cools off.
 */
export const liteLlm: StrategyDef = {
  id: 'litellm',
  label: '(c) LiteLLM: cooldown per (token, model)',
  async create({ clock, upstream, accounts, seed }) {
    const random = mulberry32(seed ^ 0x5eed);
    const cooldown = new Map<string, number>();
    const until = (i: number, model: string) => cooldown.get(`${i}|${model}`) ?? 0;

    return {
      async handle(request) {
        const model = request.model.id;
        const tried = new Set<number>();
        let last: { status: number; retryAfterSeconds: number | null } | null = null;
        for (;;) {
          const now = clock.now();
          const free = accounts.map((_, i) => i).filter((i) => !tried.has(i) && until(i, model) <= now);
          if (free.length === 0) {
            const cooling = accounts.map((_, i) => until(i, model)).filter((t) => t > now);
            if (cooling.length > 0) return tooMany(Math.min(...cooling), now);
            return last ?? { status: 429, retryAfterSeconds: null };
          }
          const i = free[Math.floor(random() * free.length)]!;
          tried.add(i);
          const result = await call(upstream, accounts[i]!.token, request);
          if (result.status === 200) return served();
          last = result;
          if (result.status === 429) {
            const ms = result.retryAfterSeconds === null ? LITELLM_DEFAULT_COOLDOWN_MS : result.retryAfterSeconds * 1000;
            cooldown.set(`${i}|${model}`, clock.now() + ms);
          } else if (result.status !== 403) return result;
        }
      },
      async close() {},
    };
  },
};

import type { Strategy as AccountChoice } from '../../shared/domain';
import { defaultSettings } from '../../shared/settings';
import { createPool } from '../../main/core/pool';
import type { StrategyDef } from './strategy';

/**
 * The engine under test: the real pool (main/core/pool) with default settings (bounded wait
 * maxWaitMs = 20 s; account choice sticky unless another is asked for), on the bench's virtual
 * clock and in-process quota upstream. The bench plays the proxy's part: it reads a served body
 * (its end releases the request's lease and records its tokens).
 */
export function engineWith(choice: AccountChoice): StrategyDef {
  return {
    id: choice === 'sticky' ? 'switchyard' : `switchyard-${choice}`,
    label: choice === 'sticky' ? 'Switchyard engine (main/core/pool)' : `Switchyard engine, ${choice}`,
    async create({ clock, upstream, accounts }) {
      const settings = { ...defaultSettings(), strategy: choice };
      const pool = createPool({ upstream, clock, settings: () => settings, emit: () => {} });
      await pool.setAccounts(accounts.map((a) => ({ key: a.key, token: a.token, plan: a.plan, disabled: false })));

      return {
        async handle(request) {
          const result = await pool.dispatch({
            kind: request.kind,
            model: request.model,
            body: request.body,
            stream: false,
            signal: new AbortController().signal,
            clientId: 'bench',
          });
          if (!result.ok) return { status: result.error.status, retryAfterSeconds: result.error.retryAfterSeconds };
          for await (const chunk of result.reply.body) void chunk;
          return { status: 200, retryAfterSeconds: null };
        },
        async close() {
          await pool.close();
        },
      };
    },
  };
}

/** The engine as shipped: default settings (sticky). */
export const engine = engineWith('sticky');

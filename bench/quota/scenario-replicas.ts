import { existsSync } from 'node:fs';
import { defaultSettings } from '../../shared/settings';
import { createPool } from '../../main/core/pool';
import type { QuotaStore } from '../../main/core/pool/quota-store';
import { RedisQuotaStore } from '../../main/core/pool/redis-quota-store';
import { REDIS_SERVER_BIN, startRedisServer } from '../../main/core/test-support/redis-server';
import type { SimClock } from './sim-clock';
import type { StrategyDef } from './strategy';

/**
 * Three replicas of the engine behind a round-robin load balancer, sharing quota state through
 * one real redis-server (started per run), on the bench's virtual clock: the same day of demand
 * and the same targets as one process. Each replica is the real pool with the real Redis store;
 * only the balancing is the bench's.
 *
 * The virtual clock moves only when the code is idle; a Redis round trip takes real time, so the
 * clock also waits for every store call in flight (`holdWhileBusy`). Change events and the
 * mirrors' periodic refresh run in real time meanwhile, so a replica's local copy is, in virtual
 * time, far staler than it would be for real: the shared store's atomic checks carry the load.
 */

const REPLICAS = 3;

/** Counts store calls in flight, and lets the clock wait for them to end. */
class Busy {
  private n = 0;
  private waiters: (() => void)[] = [];

  track<T>(result: T): T {
    if (!(result instanceof Promise)) return result;
    this.n++;
    const done = () => {
      if (--this.n > 0) return;
      const waiting = this.waiters;
      this.waiters = [];
      for (const w of waiting) w();
    };
    result.then(done, done);
    return result;
  }

  get count(): number {
    return this.n;
  }

  idle(): Promise<void> {
    return this.n === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}

/** The store with every call counted by `busy` (the engine sees the same object otherwise). */
function tracked(store: RedisQuotaStore, busy: Busy): QuotaStore {
  return new Proxy(store, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => busy.track((value as (...a: unknown[]) => unknown).apply(target, args));
    },
  });
}

/** Before the clock moves on, every store call in flight has answered (and what it woke has settled). */
function holdWhileBusy(clock: SimClock, busy: Busy): void {
  const settle = clock.settle.bind(clock);
  clock.settle = async (maxRounds?: number) => {
    for (;;) {
      await settle(maxRounds);
      if (busy.count === 0) return;
      await busy.idle();
    }
  };
}

export const threeReplicas: StrategyDef = {
  id: 'switchyard-3-replicas',
  label: `Switchyard engine, ${REPLICAS} replicas on one Redis`,
  async create({ clock, upstream, accounts }) {
    const redis = await startRedisServer();
    const busy = new Busy();
    holdWhileBusy(clock, busy);
    const settings = { ...defaultSettings(), strategy: 'sticky' as const };
    const stores = Array.from({ length: REPLICAS }, (_, i) => new RedisQuotaStore({ url: redis.url, keyPrefix: 'bench:', replicaId: `r${i}` }));
    for (const store of stores) if (!(await store.ready())) throw new Error('bench: the Redis server did not answer');
    const pools = stores.map((store) => createPool({ upstream, clock, settings: () => settings, emit: () => {}, quota: tracked(store, busy) }));
    for (const pool of pools) await pool.setAccounts(accounts.map((a) => ({ key: a.key, token: a.token, plan: a.plan, disabled: false })));
    let next = 0;

    return {
      async handle(request) {
        const pool = pools[next++ % REPLICAS]!;
        const result = await pool.dispatch({ kind: request.kind, model: request.model, body: request.body, stream: false, signal: new AbortController().signal, clientId: 'bench' });
        if (!result.ok) return { status: result.error.status, retryAfterSeconds: result.error.retryAfterSeconds };
        for await (const chunk of result.reply.body) void chunk;
        return { status: 200, retryAfterSeconds: null };
      },
      async close() {
        for (const pool of pools) await pool.close();
        await Promise.all(stores.map((s) => s.close()));
        await redis.close();
      },
    };
  },
};

/** The replica strategies this machine can run: none without a redis-server (said on stderr). */
export function replicaStrategies(): StrategyDef[] {
  if (existsSync(REDIS_SERVER_BIN)) return [threeReplicas];
  process.stderr.write(`bench:quota: no ${REDIS_SERVER_BIN} (set REDIS_SERVER_BIN), so no ${REPLICAS}-replica run\n`);
  return [];
}

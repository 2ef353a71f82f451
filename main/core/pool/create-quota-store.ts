import type { Registry } from 'prom-client';
import { z } from 'zod';
import { MemoryQuotaStore } from './memory-quota-store';
import type { QuotaStore } from './quota-store';
import type { RedisQuotaStoreOptions, StoreWarning } from './redis-quota-store';
import type { SharedEventLog } from './redis/event-stream';

/**
 * Which quota store a process uses: `SWITCHYARD_REDIS_URL` (or `redis_url` in the config file)
 * selects the shared Redis one, for replicas of a team server; otherwise the in-memory one.
 * The environment wins over the file. Bad values stop the start with a message that says which
 * setting is wrong (and never repeats a URL, which may hold a password).
 */
export interface QuotaStoreSource {
  env: Record<string, string | undefined>;
  /** The config file's content (`redis_url`, and `redis:` for the tuning settings). */
  config?: unknown;
  /** Metrics go here (the proxy's /metrics registry). */
  registry?: Registry | null;
}

export interface SelectedQuotaStore {
  kind: 'memory' | 'redis';
  store: QuotaStore;
  /** `/health` warnings (Redis away). */
  warnings(): StoreWarning[];
  onHealth(listener: (warnings: StoreWarning[]) => void): () => void;
  /** Waits (up to the connect timeout) for the shared state before serving; false: serving locally. */
  ready(): Promise<boolean>;
  /** Redis only: one event history across the replicas (redis/event-stream.ts); resolves once the recent history is loaded. */
  shareEvents?(log: SharedEventLog, replica: string): Promise<void>;
  close(): Promise<void>;
}

const redisUrl = z
  .string()
  .trim()
  .refine((value) => /^rediss?:\/\/[^\s]+$/.test(value), 'must be a redis:// or rediss:// URL');
const ms = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const fileSchema = z
  .object({
    redis_url: redisUrl.optional(),
    redis: z
      .object({
        key_prefix: z.string().min(1).max(100).optional(),
        cache_ms: ms(10, 10_000).optional(),
        lease_ttl_ms: ms(1_000, 600_000).optional(),
        command_timeout_ms: ms(50, 60_000).optional(),
        connect_timeout_ms: ms(100, 60_000).optional(),
        reconnect_max_ms: ms(50, 60_000).optional(),
      })
      .strict()
      .optional(),
  })
  .loose();

const ENV: Record<string, keyof NonNullable<z.infer<typeof fileSchema>['redis']>> = {
  SWITCHYARD_REDIS_PREFIX: 'key_prefix',
  SWITCHYARD_REDIS_CACHE_MS: 'cache_ms',
  SWITCHYARD_REDIS_LEASE_TTL_MS: 'lease_ttl_ms',
  SWITCHYARD_REDIS_COMMAND_TIMEOUT_MS: 'command_timeout_ms',
  SWITCHYARD_REDIS_CONNECT_TIMEOUT_MS: 'connect_timeout_ms',
  SWITCHYARD_REDIS_RECONNECT_MAX_MS: 'reconnect_max_ms',
};

const describe = (issues: readonly z.core.$ZodIssue[], names: (path: PropertyKey[]) => string) => issues.map((issue) => `${names(issue.path)} ${issue.message}`).join('; ');

/** The Redis store's options from the environment and the config file; null: use the in-memory store. */
export function redisOptionsFrom(source: QuotaStoreSource): RedisQuotaStoreOptions | null {
  const envRedis: Record<string, string> = {};
  for (const [name, key] of Object.entries(ENV)) {
    const value = source.env[name]?.trim();
    if (value) envRedis[key] = value;
  }
  const envUrl = source.env.SWITCHYARD_REDIS_URL?.trim();
  const envName = (path: PropertyKey[]) =>
    path[0] === 'redis_url' ? 'SWITCHYARD_REDIS_URL' : (Object.entries(ENV).find(([, key]) => key === path[1])?.[0] ?? path.join('.'));
  const fromEnv = fileSchema.safeParse({ ...(envUrl ? { redis_url: envUrl } : {}), redis: envRedis });
  if (!fromEnv.success) throw new Error(`Bad Redis setting: ${describe(fromEnv.error.issues, envName)}.`);
  const fromFile = fileSchema.safeParse(source.config ?? {});
  if (!fromFile.success) throw new Error(`Bad Redis setting in the config file: ${describe(fromFile.error.issues, (p) => p.join('.'))}.`);

  const url = fromEnv.data.redis_url ?? fromFile.data.redis_url;
  if (!url) return null;
  const tuning = { ...fromFile.data.redis, ...fromEnv.data.redis };
  return {
    url,
    keyPrefix: tuning.key_prefix,
    mirrorMaxAgeMs: tuning.cache_ms,
    leaseTtlMs: tuning.lease_ttl_ms,
    commandTimeoutMs: tuning.command_timeout_ms,
    connectTimeoutMs: tuning.connect_timeout_ms,
    reconnectMaxMs: tuning.reconnect_max_ms,
    registry: source.registry ?? null,
  };
}

/** The Redis store (and its client library) is loaded only when a Redis URL is given: one machine never pays for it. */
export async function createQuotaStore(source: QuotaStoreSource): Promise<SelectedQuotaStore> {
  const options = redisOptionsFrom(source);
  if (!options) {
    return { kind: 'memory', store: new MemoryQuotaStore(), warnings: () => [], onHealth: () => () => undefined, ready: async () => true, close: async () => undefined };
  }
  const { RedisQuotaStore } = await import('./redis-quota-store');
  const store = new RedisQuotaStore(options);
  return {
    kind: 'redis',
    store,
    warnings: () => store.warnings(),
    onHealth: (listener) => store.onHealth(listener),
    ready: () => store.ready(options.connectTimeoutMs ?? 2_000),
    shareEvents: async (log, replica) => void (await store.shareEvents(log, replica)),
    close: () => store.close(),
  };
}

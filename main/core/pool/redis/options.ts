import type { Registry } from 'prom-client';
import type { OwnerKey } from '../quota-store';

export interface RedisQuotaStoreOptions {
  /** redis://[user:password@]host:port[/db] or rediss://… (never logged or shown). */
  url: string;
  /** Every key starts with it (several teams or test runs can share one Redis). Default `switchyard:`. */
  keyPrefix?: string;
  /** The reads' local copy is at most this old (refreshed on every change event, and on this period). Default 250. */
  mirrorMaxAgeMs?: number;
  /** An in-flight slot lapses this long after its holder's last heartbeat. Default 15 000. */
  leaseTtlMs?: number;
  /** How often held leases are renewed. Default a third of the TTL. */
  heartbeatMs?: number;
  connectTimeoutMs?: number;
  /** A store operation slower than this fails over to local state. Default 1 000. */
  commandTimeoutMs?: number;
  /** Reconnect backoff: first delay, doubling up to the max. Defaults 100 and 5 000. */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  /** Events the shared stream keeps (approximately; older ones are trimmed). Default 1 000. */
  eventsKept?: number;
  /** Metrics go here (the proxy's registry); null: not registered. */
  registry?: Registry | null;
  /** The lease clock (epoch ms); windows and blocks use the `now` each call passes. */
  clock?: () => number;
  /** Names this replica's leases. Default a random id. */
  replicaId?: string;
}

/** What every replica sees: one change to an owner's shared quota state. */
export interface QuotaEvent {
  kind: 'reserve' | 'release' | 'uncount' | 'cooldown' | 'clear' | 'limit' | 'expired' | 'merge';
  owner: OwnerKey;
  /** The model, '' when owner-wide; for `merge`, the provisional owner that joined. */
  model: string;
  at: number;
}

export interface StoreWarning {
  code: 'quota-store-offline';
  message: string;
}

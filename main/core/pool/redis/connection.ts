import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import * as lua from './lua';
import { storeMetrics, type StoreMetrics } from './metrics';
import type { RedisQuotaStoreOptions, StoreWarning } from './options';

/** ioredis, loaded when the first Redis store is made: one machine without Redis never loads it. */
const loadRedis = (): typeof Redis => (createRequire(import.meta.url)('ioredis') as { Redis: typeof Redis }).Redis;

/** The scripts (lua.ts), each defined as a command on the client. */
const COMMANDS: Record<string, { keys: number; lua: string }> = {
  syReserve: { keys: 4, lua: lua.RESERVE },
  syRelease: { keys: 4, lua: lua.RELEASE },
  syUncount: { keys: 4, lua: lua.UNCOUNT },
  syCooldown: { keys: 4, lua: lua.COOLDOWN },
  syClear: { keys: 4, lua: lua.CLEAR },
  syLimit: { keys: 4, lua: lua.LIMIT },
  sySweep: { keys: 4, lua: lua.SWEEP },
  syMergeMax: { keys: 4, lua: lua.MERGE_MAX },
  syMergeOwner: { keys: 6, lua: lua.MERGE_OWNER },
  syAnswered: { keys: 1, lua: lua.ANSWERED },
  syHeartbeat: { keys: 1, lua: lua.HEARTBEAT },
};

export type Commands = Record<string, (...args: (string | number)[]) => Promise<unknown>>;

export interface ConnectionEvents {
  /** Redis answered (first time or again): merge what was learned alone, then read everything. */
  reconnect(): void;
  /** A change event on the channel. */
  message(message: string): void;
}

/**
 * The two connections to Redis — commands (with the scripts), and the change channel — and
 * whether Redis is reachable now: the `/health` warning, the metric, and the listeners told when
 * that changes. Reconnects back off from `reconnectMinMs` doubling to `reconnectMaxMs`.
 */
export class Connection {
  readonly client: Redis;
  readonly sub: Redis;
  readonly metrics: StoreMetrics;
  online = false;
  closed = false;
  private offlineReason: string | null = 'not connected yet';
  private told: boolean | null = null;
  private readonly healthListeners = new Set<(warnings: StoreWarning[]) => void>();

  constructor(
    private readonly options: RedisQuotaStoreOptions,
    channel: string,
    private readonly events: ConnectionEvents,
  ) {
    this.metrics = storeMetrics(options.registry ?? null);
    this.metrics.online(false);
    const min = options.reconnectMinMs ?? 100;
    const max = options.reconnectMaxMs ?? 5_000;
    const common = {
      connectTimeout: options.connectTimeoutMs ?? 2_000,
      retryStrategy: (times: number) => Math.min(min * 2 ** Math.max(0, times - 1), max),
      maxRetriesPerRequest: 0,
    };
    const RedisClient = loadRedis();
    this.client = new RedisClient(options.url, { ...common, commandTimeout: options.commandTimeoutMs ?? 1_000, enableOfflineQueue: false });
    for (const [name, def] of Object.entries(COMMANDS)) this.client.defineCommand(name, { numberOfKeys: def.keys, lua: def.lua });
    this.sub = new RedisClient(options.url, { ...common, enableOfflineQueue: true, autoResubscribe: true });
    this.client.on('ready', () => events.reconnect());
    this.client.on('error', (err: Error) => this.goOffline(err.message));
    this.client.on('close', () => this.goOffline('connection closed'));
    this.sub.on('error', () => undefined);
    this.sub.on('message', (_channel: string, message: string) => events.message(message));
    void this.sub.subscribe(channel).catch(() => undefined);
  }

  /** The client with the scripts as commands. */
  get commands(): Commands {
    return this.client as unknown as Commands;
  }

  /** Resolves once Redis answered and the copy is current (or after `timeoutMs`, serving locally). */
  async ready(timeoutMs: number): Promise<boolean> {
    if (this.online) return true;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const off = this.onHealth((warnings) => warnings.length === 0 && done());
      function done() {
        clearTimeout(timer);
        off();
        resolve();
      }
    });
    return this.online;
  }

  /** `/health` warnings: one while Redis is away. */
  warnings(): StoreWarning[] {
    if (this.online) return [];
    const { host, port } = this.client.options;
    return [
      {
        code: 'quota-store-offline',
        message: `The shared quota store (Redis at ${host}:${port}) is unreachable (${this.offlineReason ?? 'unknown'}); this replica serves from its own state and merges what it learned when Redis returns.`,
      },
    ];
  }

  onHealth(listener: (warnings: StoreWarning[]) => void): () => void {
    this.healthListeners.add(listener);
    return () => this.healthListeners.delete(listener);
  }

  goOffline(reason: string): void {
    if (this.closed) return;
    this.offlineReason = reason;
    this.online = false;
    this.metrics.online(false);
    this.tellHealth();
  }

  /** Steps go to Redis again (before the copy is re-read, which needs it). */
  resume(): void {
    this.online = true;
    this.offlineReason = null;
  }

  /** The copy is current again: say so. */
  resumed(): void {
    this.metrics.online(true);
    this.tellHealth();
  }

  /** Merging back failed: still away (quietly: nobody was told it was back). */
  stillAway(err: unknown): void {
    this.online = false;
    this.offlineReason = messageOf(err);
    this.retrySoon();
  }

  /** A Redis step failed: serve locally, and try again once the connection is (still) up. */
  failed(err: unknown): void {
    this.goOffline(messageOf(err));
    this.retrySoon();
  }

  close(): void {
    this.closed = true;
    this.client.disconnect();
    this.sub.disconnect();
  }

  private retrySoon(): void {
    if (!this.closed && this.client.status === 'ready') setTimeout(() => this.events.reconnect(), this.options.reconnectMinMs ?? 100).unref();
  }

  /** Tells listeners when reachability changed (and the first time it is known). */
  private tellHealth(): void {
    if (this.told === this.online) return;
    this.told = this.online;
    const warnings = this.warnings();
    for (const listener of this.healthListeners) listener(warnings);
  }
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

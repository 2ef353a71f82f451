import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import type { EngineEvent } from '../../../../shared/events';
import type { RedisQuotaStoreOptions } from './options';

/** What the shared stream needs of the engine's event log (state/event-log.ts). */
export interface SharedEventLog {
  onEvent(listener: (event: EngineEvent) => void): () => void;
  appendRemote(event: EngineEvent): EngineEvent | null;
}

export interface EventStreamOptions {
  /** The store's command connection: events are added to the stream with it. */
  writer: Redis;
  /** The stream's key (`<prefix>engine-events`). */
  key: string;
  /** Tags this replica's events; entries with it are its own, never appended again. */
  replica: string;
  /** About this many entries are kept (XADD MAXLEN ~). */
  kept: number;
  /** The shared events loaded when this replica starts (the team's recent history). */
  loadOnStart: number;
  /** Events waiting while Redis is away, published when it returns; older ones beyond it are dropped. */
  held: number;
  retryMs: number;
}

const loadRedis = (): typeof Redis => (createRequire(import.meta.url)('ioredis') as { Redis: typeof Redis }).Redis;
const BLOCK_MS = 5_000;
const READ_COUNT = 200;

type Entry = [id: string, fields: string[]];

/**
 * One event history across the replicas of a team server. Every event this replica appends to
 * its log (already through the redactor: no key in it) is added to a capped Redis stream, tagged
 * with its start id; a dedicated connection reads the stream (XREAD BLOCK) and appends the other
 * replicas' events to the log, marked with their origin, once each and in the stream's order. A
 * replica that starts first loads the latest `loadOnStart` shared events.
 *
 * While Redis is away events still append locally, and wait here (up to `held`, the oldest dropped
 * first) to be published, late, once it answers again: the other replicas see them then.
 */
export class SharedEventStream {
  private readonly reader: Redis;
  private readonly pending: EngineEvent[] = [];
  private readonly off: () => void;
  /** The last stream id read; null until the start's history is loaded. */
  private lastId: string | null = null;
  private closed = false;
  private flushing: Promise<void> | null = null;
  private retry: NodeJS.Timeout | null = null;
  private reading: Promise<void> = Promise.resolve();
  private loaded!: () => void;
  private readonly firstLoad = new Promise<void>((resolve) => (this.loaded = resolve));
  /** Events held back because Redis was away and more than `held` waited. */
  dropped = 0;

  constructor(
    private readonly log: SharedEventLog,
    private readonly options: EventStreamOptions,
    connection: Pick<RedisQuotaStoreOptions, 'url' | 'connectTimeoutMs' | 'reconnectMinMs' | 'reconnectMaxMs'>,
  ) {
    const min = connection.reconnectMinMs ?? 100;
    const max = connection.reconnectMaxMs ?? 5_000;
    // Blocking reads need their own connection, without the command timeout the store's client has.
    this.reader = new (loadRedis())(connection.url, {
      connectTimeout: connection.connectTimeoutMs ?? 2_000,
      retryStrategy: (times: number) => Math.min(min * 2 ** Math.max(0, times - 1), max),
      maxRetriesPerRequest: 0,
      enableOfflineQueue: true,
    });
    this.reader.on('error', () => undefined);
    this.off = log.onEvent((event) => {
      if (event.origin) return; // heard from another replica: it is in the stream already
      this.pending.push(event);
      if (this.pending.length > options.held) this.dropped += this.pending.splice(0, this.pending.length - options.held).length;
      void this.flush();
    });
    options.writer.on('ready', this.onWriterReady);
    this.reading = this.readLoop();
    void this.flush();
  }

  /** Resolves once the start's history is loaded, or after `timeoutMs` (Redis away: it loads when Redis answers). */
  async started(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.firstLoad, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }

  /** Events not yet published (Redis away). */
  get waiting(): number {
    return this.pending.length;
  }

  /** Publishes what waits (one call at a time), then stops reading. */
  async close(): Promise<void> {
    this.off();
    this.options.writer.off('ready', this.onWriterReady);
    if (this.retry) clearTimeout(this.retry);
    await this.flush().catch(() => undefined);
    this.closed = true;
    this.reader.disconnect();
    await this.reading;
  }

  private readonly onWriterReady = () => void this.flush();

  /** Adds the waiting events to the stream in order; stops at the first failure and tries again later. */
  private flush(): Promise<void> {
    this.flushing ??= (async () => {
      const { writer, key, kept, replica } = this.options;
      while (this.pending.length > 0 && !this.closed) {
        if (writer.status !== 'ready') return; // the 'ready' listener flushes
        const event = this.pending[0]!;
        try {
          await writer.xadd(key, 'MAXLEN', '~', kept, '*', 'r', replica, 'e', JSON.stringify(event));
        } catch {
          this.retryLater();
          return;
        }
        this.pending.shift();
      }
    })().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private retryLater(): void {
    if (this.closed || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.flush();
    }, this.options.retryMs);
    this.retry.unref();
  }

  /** Loads the start's history, then reads what the replicas add, for as long as the stream is open. */
  private async readLoop(): Promise<void> {
    const { key } = this.options;
    while (!this.closed) {
      try {
        if (this.lastId === null) {
          const rows = (await this.reader.xrevrange(key, '+', '-', 'COUNT', this.options.loadOnStart)) as Entry[];
          this.take(rows.reverse());
          this.lastId ??= '0-0';
          this.loaded();
          continue;
        }
        const answer = (await this.reader.xread('COUNT', READ_COUNT, 'BLOCK', BLOCK_MS, 'STREAMS', key, this.lastId)) as [string, Entry[]][] | null;
        for (const [, rows] of answer ?? []) this.take(rows);
      } catch {
        if (this.closed) return;
        await new Promise((resolve) => setTimeout(resolve, this.options.retryMs).unref());
      }
    }
  }

  /** Appends the other replicas' entries, in order, and moves past them. */
  private take(rows: Entry[]): void {
    for (const [id, fields] of rows) {
      this.lastId = id;
      const replica = field(fields, 'r');
      const text = field(fields, 'e');
      if (!text || replica === this.options.replica) continue;
      let event: EngineEvent;
      try {
        event = JSON.parse(text) as EngineEvent;
      } catch {
        continue;
      }
      if (typeof event?.kind !== 'string' || typeof event.id !== 'number' || typeof event.startId !== 'string') continue;
      this.log.appendRemote({ ...event, origin: { replica: replica ?? event.startId, id: event.id } });
    }
  }
}

function field(fields: string[], name: string): string | null {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1]!;
  return null;
}

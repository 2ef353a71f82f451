import { randomUUID } from 'node:crypto';
import type { MemoryQuotaStore } from './memory-quota-store';
import type { CooldownEffect, Lease, LeaseUsage, ModelCountsOf, OwnerQuota, QuotaBlocks, QuotaOwner, QuotaSnapshot, QuotaStore, Reservation, ReserveRequest, StatedLimits, CountedLimitType, LimitNote, CooldownRecord, Expired } from './quota-store';
import * as blocks from './redis/blocks';
import { Connection } from './redis/connection';
import { EventFeed } from './redis/events';
import { SharedEventStream, type SharedEventLog } from './redis/event-stream';
import { keyLayout, type KeyLayout } from './redis/keys';
import { Leases } from './redis/leases';
import { SharedMarks } from './redis/marks';
import { Mirror } from './redis/mirror';
import type { QuotaEvent, RedisQuotaStoreOptions, StoreWarning } from './redis/options';
import { mergeOwner, reconcile, restoreSnapshot } from './redis/reconcile';

export type { QuotaEvent, RedisQuotaStoreOptions, StoreWarning } from './redis/options';

/**
 * The quota store shared by replicas through Redis (or Valkey). Every step that decides runs in
 * one Lua script on the server (reserve checks every limit and counts at once; cooldowns merge
 * by max). The synchronous reads answer from a local copy — an in-memory store — refreshed from
 * each script's answer, on every change event another replica publishes, and at least every
 * `mirrorMaxAgeMs`. While Redis is away the same in-memory store serves alone; what it learned is
 * merged back (by max) when Redis returns. No account token is ever written to Redis: owners are
 * provider logins, accounts are their key names.
 *
 * The parts live in redis/: connection.ts (clients, health), mirror.ts (the local copy and the
 * writing steps), leases.ts (reserve, slots, heartbeat), blocks.ts (cooldowns, limits, sweep),
 * events.ts (the shared stream), reconcile.ts (merging by max), marks.ts (account marks).
 */
export class RedisQuotaStore implements QuotaStore {
  /** Retired / invalid / forbidden marks of accounts, shared by the replicas. */
  readonly marks: SharedMarks;
  private readonly conn: Connection;
  private readonly mirror: Mirror;
  private readonly leases: Leases;
  private readonly feed: EventFeed;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly keys: KeyLayout;
  private shared: SharedEventStream | null = null;
  private reconciling: Promise<void> | null = null;

  constructor(private readonly options: RedisQuotaStoreOptions) {
    const keys = keyLayout(options.keyPrefix ?? 'switchyard:');
    this.keys = keys;
    const clock = options.clock ?? Date.now;
    const leaseTtl = options.leaseTtlMs ?? 15_000;
    this.conn = new Connection(options, keys.channel, { reconnect: () => void this.reconcile(), message: (m) => this.feed.heard(m) });
    this.mirror = new Mirror(this.conn, keys, clock, options.eventsKept ?? 1_000);
    this.leases = new Leases(this.mirror, options.replicaId ?? randomUUID().slice(0, 8), leaseTtl);
    this.feed = new EventFeed(this.mirror);
    this.marks = new SharedMarks(this.conn.client, keys.marks, () => this.conn.online);
    this.timers.push(setInterval(() => void this.refresh().catch(() => undefined), options.mirrorMaxAgeMs ?? 250));
    this.timers.push(setInterval(() => void this.heartbeat().catch(() => undefined), options.heartbeatMs ?? Math.max(1, Math.floor(leaseTtl / 3))));
    for (const timer of this.timers) timer.unref();
  }

  /** The local copy, and the store that serves while Redis is away. */
  get local(): MemoryQuotaStore {
    return this.mirror.local;
  }

  /** Resolves once Redis answered and this replica's copy is current (or after `timeoutMs`, serving locally). */
  ready(timeoutMs = 5_000): Promise<boolean> {
    return this.conn.ready(timeoutMs);
  }

  /** `/health` warnings: one while Redis is away. */
  warnings(): StoreWarning[] {
    return this.conn.warnings();
  }

  onHealth(listener: (warnings: StoreWarning[]) => void): () => void {
    return this.conn.onHealth(listener);
  }

  /** Every replica's changes to the shared state, as they happen. */
  onEvent(listener: (event: QuotaEvent) => void): () => void {
    return this.feed.onEvent(listener);
  }

  /**
   * Another replica (or this one) freed a slot or changed a block or limit, or Redis went away or
   * came back: waiting requests look again, and views (the dashboard's warning) are pushed anew.
   */
  onChange(listener: () => void): () => void {
    const offEvents = this.feed.onEvent((event) => {
      if (event.kind !== 'reserve') listener();
    });
    const offHealth = this.conn.onHealth(() => listener());
    return () => {
      offEvents();
      offHealth();
    };
  }

  /** The latest shared events, oldest first (the stream keeps about `eventsKept`). */
  history(count = 100): Promise<(QuotaEvent & { id: string })[]> {
    return this.feed.history(count);
  }

  /**
   * Shares the engine's event log with the other replicas (redis/event-stream.ts): this replica's
   * events go to a capped stream under the key prefix, theirs come into `log` marked with their
   * origin. Resolves once the team's recent history is loaded (Redis away: at once; it loads on reconnect).
   */
  async shareEvents(log: SharedEventLog, replica: string, loadOnStart = 200): Promise<SharedEventStream> {
    if (this.shared) throw new Error('The event log is shared already');
    const kept = this.options.eventsKept ?? 1_000;
    this.shared = new SharedEventStream(log, { writer: this.conn.client, key: this.keys.engineEvents, replica, kept, loadOnStart, held: kept, retryMs: this.options.reconnectMinMs ?? 100 }, this.options);
    // Redis away (the start already waited for it): the history loads when it answers.
    await this.shared.started(this.conn.online ? (this.options.connectTimeoutMs ?? 2_000) : 0);
    return this.shared;
  }

  async close(options: { releaseLeases?: boolean } = {}): Promise<void> {
    // The events still waiting go first (the replica's 'stopped' among them), while the connection is up.
    await this.shared?.close();
    this.conn.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    if ((options.releaseLeases ?? true) && this.conn.online) await this.leases.releaseAll(this.mirror.clock()).catch(() => undefined);
    this.conn.close();
  }

  // ---- decisions (on the server) ----

  reserve(request: ReserveRequest): Promise<Reservation> {
    return this.leases.reserve(request);
  }

  answered(lease: Lease): Promise<void> {
    return this.leases.answered(lease);
  }

  release(lease: Lease, usage: LeaseUsage, now: number): Promise<void> {
    return this.leases.release(lease, usage, now);
  }

  uncount(lease: Lease, now: number): Promise<void> {
    return this.leases.uncount(lease, now);
  }

  applyCooldown(owner: QuotaOwner, model: string, record: CooldownRecord, now: number): Promise<CooldownEffect> {
    return blocks.applyCooldown(this.mirror, owner, model, record, now);
  }

  clearBlocks(owner: QuotaOwner | null, model: string | null): Promise<number> {
    return blocks.clearBlocks(this.mirror, owner, model);
  }

  noteLimit(owner: QuotaOwner, model: string, type: CountedLimitType, note: LimitNote): Promise<void> {
    return blocks.noteLimit(this.mirror, owner, model, type, note);
  }

  dropLimit(owner: QuotaOwner, model: string, type: CountedLimitType): Promise<void> {
    return blocks.dropLimit(this.mirror, owner, model, type);
  }

  unconfirm(owner: QuotaOwner | null, model: string | null): Promise<number> {
    return blocks.unconfirm(this.mirror, owner, model);
  }

  merge(from: QuotaOwner, to: QuotaOwner, now: number): Promise<void> {
    return mergeOwner(this.mirror, from, to, now);
  }

  sweep(now: number): Promise<Expired[]> {
    return blocks.sweep(this.mirror, now);
  }

  async nextExpiry(now: number): Promise<number | null> {
    return this.local.nextExpiry(now);
  }

  async snapshot(now: number): Promise<QuotaSnapshot> {
    await this.refresh().catch(() => undefined);
    return this.local.snapshotNow(now);
  }

  /** Merges a snapshot in by max (reconcile.ts): a saved file never shortens a block the team's Redis holds. */
  restore(snapshot: QuotaSnapshot): Promise<void> {
    return restoreSnapshot(this.mirror, snapshot);
  }

  // ---- reads (the local copy) ----

  blocks(owner: QuotaOwner, model: string | null, now: number): QuotaBlocks {
    return this.local.blocks(owner, model, now);
  }

  counts(owner: QuotaOwner, model: string): ModelCountsOf | null {
    return this.local.counts(owner, model);
  }

  usage(owner: QuotaOwner, now: number): OwnerQuota | null {
    return this.local.usage(owner, now);
  }

  owners(now: number): OwnerQuota[] {
    return this.local.owners(now);
  }

  limits(owner: QuotaOwner, model: string): StatedLimits {
    return this.local.limits(owner, model);
  }

  // ---- keeping the copy current ----

  /** Reads every owner's state into the local copy (the periodic refresh; also on reconnect). */
  refresh(): Promise<void> {
    return this.mirror.refresh();
  }

  /** Renews this replica's leases (on a timer; a replica that stops renewing frees its slots within the TTL). */
  heartbeat(): Promise<void> {
    return this.leases.heartbeat();
  }

  /** Redis is (back) up: merge what was learned alone, by max, then read everything (once at a time). */
  private reconcile(): Promise<void> {
    this.reconciling ??= reconcile(this.mirror, this.marks).finally(() => {
      this.reconciling = null;
    });
    return this.reconciling;
  }
}

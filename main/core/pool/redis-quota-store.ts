import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';

/** ioredis, loaded when the first Redis store is made: one machine without Redis never loads it. */
const loadRedis = (): typeof Redis => (createRequire(import.meta.url)('ioredis') as { Redis: typeof Redis }).Redis;
import type { Registry } from 'prom-client';
import type { CountedLimitType, LimitNote } from './confirmed-limits';
import { CAP_RECOVERY_MS } from './cooldowns';
import type { CooldownRecord, Expired } from './ledger';
import { MemoryQuotaStore } from './memory-quota-store';
import {
  ownerKey,
  type CooldownEffect,
  type Lease,
  type LeaseUsage,
  type ModelCountsOf,
  type OwnerKey,
  type OwnerQuota,
  type QuotaBlocks,
  type QuotaOwner,
  type QuotaSnapshot,
  type QuotaStore,
  type Refusal,
  type Reservation,
  type ReserveRequest,
  type StatedLimits,
} from './quota-store';
import { docOf, leaseMember, notesOf, PROBE_MARK, parseDoc, subjectOf, type DocNote, type OwnerDoc } from './redis/doc';
import { keyLayout, type KeyLayout } from './redis/keys';
import { SharedMarks } from './redis/marks';
import * as lua from './redis/lua';
import { storeMetrics, type StoreMetrics } from './redis/metrics';

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

interface Held {
  owner: OwnerKey;
  model: string;
  /** The member in Redis; null for a lease taken while Redis was away. */
  member: string | null;
  local: Lease | null;
}

type Reply = [unknown, string | null, string[]];

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
  syHeartbeat: { keys: 1, lua: lua.HEARTBEAT },
};

/** A limit Lua can compare (an unlimited one is a very large number). */
const finite = (n: number) => (Number.isFinite(n) ? n : 1e15);

/**
 * The quota store shared by replicas through Redis (or Valkey). Every step that decides runs in
 * one Lua script on the server (reserve checks every limit and counts at once; cooldowns merge
 * by max). The synchronous reads answer from a local copy — an in-memory store — refreshed from
 * each script's answer, on every change event another replica publishes, and at least every
 * `mirrorMaxAgeMs`. While Redis is away the same in-memory store serves alone; what it learned is
 * merged back (by max) when Redis returns. No account token is ever written to Redis: owners are
 * provider logins, accounts are their key names.
 */
export class RedisQuotaStore implements QuotaStore {
  /** The local copy, and the store that serves while Redis is away. */
  readonly local = new MemoryQuotaStore();
  /** Retired / invalid / forbidden marks of accounts, shared by the replicas. */
  readonly marks: SharedMarks;
  private readonly keys: KeyLayout;
  private readonly client: Redis;
  private readonly sub: Redis;
  private readonly metrics: StoreMetrics;
  private readonly clock: () => number;
  private readonly replica: string;
  private readonly leaseTtl: number;
  private readonly eventsKept: number;
  private readonly held = new Map<number, Held>();
  /** Owners changed while Redis was away: merged back on reconnect. */
  private readonly dirty = new Set<OwnerKey>();
  /** Bumped on every write an owner's copy took, so an older read never overwrites it. */
  private readonly seq = new Map<OwnerKey, number>();
  private readonly eventListeners = new Set<(event: QuotaEvent) => void>();
  private readonly healthListeners = new Set<(warnings: StoreWarning[]) => void>();
  private readonly timers: NodeJS.Timeout[] = [];
  private nextLease = 1;
  private online = false;
  private offlineReason: string | null = 'not connected yet';
  private reconciling: Promise<void> | null = null;
  private closed = false;
  private told: boolean | null = null;

  constructor(private readonly options: RedisQuotaStoreOptions) {
    this.keys = keyLayout(options.keyPrefix ?? 'switchyard:');
    this.metrics = storeMetrics(options.registry ?? null);
    this.metrics.online(false);
    this.clock = options.clock ?? Date.now;
    this.replica = options.replicaId ?? randomUUID().slice(0, 8);
    this.leaseTtl = options.leaseTtlMs ?? 15_000;
    this.eventsKept = options.eventsKept ?? 1_000;
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
    this.marks = new SharedMarks(this.client, this.keys.marks, () => this.online);
    this.sub = new RedisClient(options.url, { ...common, enableOfflineQueue: true, autoResubscribe: true });
    this.client.on('ready', () => void this.reconcile());
    this.client.on('error', (err: Error) => this.goOffline(err.message));
    this.client.on('close', () => this.goOffline('connection closed'));
    this.sub.on('error', () => undefined);
    this.sub.on('message', (_channel: string, message: string) => this.onMessage(message));
    void this.sub.subscribe(this.keys.channel).catch(() => undefined);
    const maxAge = options.mirrorMaxAgeMs ?? 250;
    this.timers.push(setInterval(() => void this.refresh().catch(() => undefined), maxAge));
    this.timers.push(setInterval(() => void this.heartbeat().catch(() => undefined), options.heartbeatMs ?? Math.max(1, Math.floor(this.leaseTtl / 3))));
    for (const timer of this.timers) timer.unref();
  }

  /** Resolves once Redis answered and this replica's copy is current (or after `timeoutMs`, serving locally). */
  async ready(timeoutMs = 5_000): Promise<boolean> {
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

  /** Every replica's changes to the shared state, as they happen. */
  onEvent(listener: (event: QuotaEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Another replica (or this one) freed a slot or changed a block or limit: waiting requests look again. */
  onChange(listener: () => void): () => void {
    return this.onEvent((event) => {
      if (event.kind !== 'reserve') listener();
    });
  }

  /** The latest shared events, oldest first (the stream keeps about `eventsKept`). */
  async history(count = 100): Promise<(QuotaEvent & { id: string })[]> {
    const rows = await this.client.xrevrange(this.keys.events, '+', '-', 'COUNT', count);
    return rows.reverse().map(([id, fields]) => ({ ...(JSON.parse(fields[1] ?? '{}') as QuotaEvent), id }));
  }

  async close(options: { releaseLeases?: boolean } = {}): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    if ((options.releaseLeases ?? true) && this.online) {
      const now = this.clock();
      await Promise.all([...this.held.entries()].map(([id, h]) => this.release({ id, owner: h.owner, model: h.model, account: '', at: now, positions: { minute: 0, day: 0 } }, {}, now))).catch(() => undefined);
    }
    this.client.disconnect();
    this.sub.disconnect();
  }

  // ---- decisions (on the server) ----

  async reserve(request: ReserveRequest): Promise<Reservation> {
    const owner = this.canonical(ownerKey(request.owner));
    const id = this.nextLease++;
    const member = leaseMember(`${this.replica}.${id}${request.probe ? PROBE_MARK : ''}`, request.model);
    const l = request.limits;
    const args = [request.model, member, this.leaseTtl, l ? 1 : 0, finite(l?.perMinute ?? 0), finite(l?.perDay ?? 0), finite(l?.concurrent ?? 0), request.probe ? 1 : 0];
    return this.write('reserve', owner, 'syReserve', args, {
      offline: () => {
        const r = this.local.reserveNow(request);
        if (!r.ok) return r;
        this.held.set(id, { owner: r.lease.owner, model: request.model, member: null, local: r.lease });
        return { ok: true, lease: { ...r.lease, id } };
      },
      online: (result) => {
        const [kind, a, b, c] = result as [string, number | string, number | string, number];
        if (kind === 'ok') {
          this.held.set(id, { owner, model: request.model, member, local: null });
          return { ok: true, lease: { id, owner, model: request.model, account: request.account, at: request.now, positions: { minute: Number(a), day: Number(b) } } };
        }
        return { ok: false, refusal: refusalOf(kind, a, b, c) };
      },
    }, request.now);
  }

  async release(lease: Lease, usage: LeaseUsage, now: number): Promise<void> {
    const held = this.held.get(lease.id);
    if (!held) return;
    this.held.delete(lease.id);
    const tokens = typeof usage.tokens === 'number' && Number.isFinite(usage.tokens) && usage.tokens > 0 ? Math.round(usage.tokens) : 0;
    const owner = this.canonical(held.owner);
    await this.write('release', owner, 'syRelease', [held.model, held.member ?? '', tokens], {
      offline: () => {
        if (held.local) return void this.local.release(held.local, usage, now);
        this.local.ledger.addTokens(owner, held.model, now, tokens);
        this.local.ledger.end(owner, held.model);
      },
      online: () => undefined,
    }, now);
  }

  async uncount(lease: Lease, now: number): Promise<void> {
    await this.write('uncount', this.canonical(lease.owner), 'syUncount', [lease.model], { offline: () => void this.local.uncount(lease, now), online: () => undefined }, now);
  }

  async applyCooldown(owner: QuotaOwner, model: string, record: CooldownRecord, now: number): Promise<CooldownEffect> {
    const key = this.canonical(ownerKey(owner));
    return this.write('cooldown', key, 'syCooldown', [model, JSON.stringify(record), record.until, record.account, record.scope, CAP_RECOVERY_MS], {
      offline: () => this.local.applyCooldown(owner, model, record, now),
      online: (result) => {
        const [changed, kept] = result as [number, string];
        return { kept: JSON.parse(kept) as CooldownRecord, changed: changed === 1 };
      },
    }, now);
  }

  async clearBlocks(owner: QuotaOwner | null, model: string | null): Promise<number> {
    return this.everyOwner(owner, (key) => this.runScript('clear', 'syClear', key, [model ?? ''], ''), () => this.local.clearBlocks(owner, model));
  }

  async noteLimit(owner: QuotaOwner, model: string, type: CountedLimitType, note: LimitNote): Promise<void> {
    await this.write('limit', this.canonical(ownerKey(owner)), 'syLimit', [model, type, 'set', note.limit, note.confirmed ? 1 : 0, note.at], {
      offline: () => void this.local.noteLimit(owner, model, type, note),
      online: () => undefined,
    }, note.at);
  }

  async dropLimit(owner: QuotaOwner, model: string, type: CountedLimitType): Promise<void> {
    await this.write('limit', this.canonical(ownerKey(owner)), 'syLimit', [model, type, 'drop', 0, 0, 0], { offline: () => void this.local.dropLimit(owner, model, type), online: () => undefined }, '');
  }

  async unconfirm(owner: QuotaOwner | null, model: string | null): Promise<number> {
    return this.everyOwner(owner, (key) => this.runScript('limit', 'syLimit', key, [model ?? '', '', 'unconfirm', 0, 0, 0], ''), () => this.local.unconfirm(owner, model));
  }

  async merge(from: QuotaOwner, to: QuotaOwner, now: number): Promise<void> {
    const fromKey = this.canonical(ownerKey(from));
    const toKey = this.canonical(ownerKey(to));
    if (fromKey === toKey) return;
    this.local.ledger.merge(fromKey, toKey, now);
    await this.write('merge', toKey, 'syMergeOwner', [fromKey], { offline: () => undefined, online: () => undefined }, now, [this.keys.doc(fromKey), this.keys.leases(fromKey)]);
  }

  async sweep(now: number): Promise<Expired[]> {
    if (!this.online) return this.local.sweep(now);
    const due = [...this.local.ledger.subjects.values()].filter(
      (s) => [...s.models.values()].some((e) => e.cooldown && e.cooldown.until <= now) || [s.userCooldown, s.pause, s.cap].some((r) => r && r.until <= now),
    );
    const out: Expired[] = [];
    try {
      for (const subject of due) {
        const expired = (await this.runScript('sweep', 'sySweep', subject.id, [], now)) as [string, string, Expired['kind']][];
        out.push(...expired.map(([model, account, kind]) => ({ owner: subject.id, model: model === '' ? null : model, account, kind })));
      }
    } catch (err) {
      this.failed(err);
      out.push(...(await this.local.sweep(now)));
    }
    return out;
  }

  async nextExpiry(now: number): Promise<number | null> {
    return this.local.nextExpiry(now);
  }

  async snapshot(now: number): Promise<QuotaSnapshot> {
    await this.refresh().catch(() => undefined);
    return this.local.snapshotNow(now);
  }

  /**
   * Merges a snapshot in by max (a replica's saved file never shortens a block or lowers a count
   * the team's Redis holds); on an empty Redis that is the snapshot's state.
   */
  async restore(snapshot: QuotaSnapshot): Promise<void> {
    const saved = new MemoryQuotaStore();
    saved.restoreNow(snapshot);
    const notes = saved.ledger.limits.list();
    const now = Math.min(this.clock(), latestActivity(snapshot) ?? Infinity);
    for (const subject of saved.ledger.subjects.values()) {
      const doc = docOf(subject, notes.filter((n) => n.subject === subject.id).map((n) => ({ ...n, type: n.limitType })));
      await this.mergeDoc(subject.id, doc, now, () => {
        this.local.ledger.subjects.set(subject.id, subject);
        for (const n of notes) if (n.subject === subject.id) this.local.ledger.limits.set(n.subject, n.model, n.limitType, n);
      });
    }
    const owners = new Set(saved.ledger.subjects.keys());
    for (const n of notes) {
      if (owners.has(n.subject)) continue;
      await this.write('limit', n.subject, 'syLimit', [n.model, n.limitType, 'set', n.limit, n.confirmed ? 1 : 0, n.at], {
        offline: () => this.local.ledger.limits.set(n.subject, n.model, n.limitType, n),
        online: () => undefined,
      }, n.at);
    }
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
  async refresh(): Promise<void> {
    if (!this.online || this.closed) return;
    const t = this.clock();
    const owners = await this.metrics.time('refresh', () => this.client.zrangebyscore(this.keys.owners, `(${t}`, '+inf'));
    await this.refreshOwners(owners, true);
  }

  /** Renews this replica's leases (on a timer; a replica that stops renewing frees its slots within the TTL). */
  async heartbeat(): Promise<void> {
    if (!this.online || this.closed) return;
    const byOwner = new Map<OwnerKey, string[]>();
    for (const h of this.held.values()) {
      if (!h.member) continue;
      const owner = this.canonical(h.owner);
      byOwner.set(owner, [...(byOwner.get(owner) ?? []), h.member]);
    }
    if (byOwner.size === 0) return;
    const t = this.clock();
    const pipeline = this.client.pipeline();
    for (const [owner, members] of byOwner) (pipeline as unknown as Commands).syHeartbeat!(this.keys.leases(owner), t, this.leaseTtl, ...members);
    await this.metrics.time('heartbeat', () => pipeline.exec());
  }

  private async refreshOwners(owners: readonly OwnerKey[], all: boolean): Promise<void> {
    const t = this.clock();
    const seen = new Map(this.seq);
    const before = new Map(owners.map((o) => [o, this.seq.get(o) ?? 0]));
    const pipeline = this.client.pipeline();
    for (const owner of owners) pipeline.get(this.keys.doc(owner)).zrangebyscore(this.keys.leases(owner), `(${t}`, '+inf');
    const replies = (await this.metrics.time('refresh', () => pipeline.exec())) ?? [];
    if (!this.online) return;
    owners.forEach((owner, i) => {
      if ((this.seq.get(owner) ?? 0) !== before.get(owner)) return;
      const [docErr, raw] = replies[2 * i] ?? [];
      const [leaseErr, leases] = replies[2 * i + 1] ?? [];
      if (docErr || leaseErr) return;
      this.mirror(owner, raw as string | null, leases as string[]);
    });
    if (!all) return;
    const listed = new Set(owners);
    for (const id of [...this.local.ledger.subjects.keys()]) if (!listed.has(id) && (this.seq.get(id) ?? 0) === (seen.get(id) ?? 0)) this.mirror(id, null, []);
  }

  /** The local copy of one owner becomes what Redis answered. */
  private mirror(owner: OwnerKey, raw: string | null, leases: readonly string[]): void {
    const ledger = this.local.ledger;
    const doc = parseDoc(raw);
    if (raw === null && leases.length === 0) ledger.subjects.delete(owner);
    else ledger.subjects.set(owner, subjectOf(owner, doc, leases));
    for (const note of ledger.limits.list()) if (note.subject === owner) ledger.limits.drop(owner, note.model, note.limitType);
    for (const note of notesOf(doc)) ledger.limits.set(owner, note.model, note.type, note);
  }

  private onMessage(message: string): void {
    let event: QuotaEvent;
    try {
      event = JSON.parse(message) as QuotaEvent;
    } catch {
      return;
    }
    if (event.kind === 'merge' && event.model && event.model !== event.owner) this.local.ledger.merge(event.model, event.owner, event.at);
    // Listeners hear of a change once the local copy shows it.
    const tell = () => {
      for (const listener of this.eventListeners) listener(event);
    };
    if (this.online) void this.refreshOwners([event.owner], false).catch(() => undefined).finally(tell);
    else tell();
  }

  // ---- Redis away and back ----

  private goOffline(reason: string): void {
    if (this.closed) return;
    this.offlineReason = reason;
    this.online = false;
    this.metrics.online(false);
    this.tellHealth();
  }

  /** Redis is (back) up: merge what was learned alone, by max, then read everything. */
  private reconcile(): Promise<void> {
    this.reconciling ??= (async () => {
      try {
        while (this.dirty.size > 0) {
          const owner = [...this.dirty][0]!;
          const subject = this.local.ledger.find(owner);
          if (subject) {
            const notes: DocNote[] = this.local.ledger.limits.list().filter((n) => n.subject === subject.id).map((n) => ({ ...n, type: n.limitType }));
            await this.runScript('reconnect', 'syMergeMax', subject.id, [JSON.stringify(docOf(subject, notes))], this.clock());
          }
          this.dirty.delete(owner);
        }
        await this.marks.flush();
        this.online = true;
        this.offlineReason = null;
        await this.refresh();
        this.metrics.online(true);
        this.tellHealth();
      } catch (err) {
        this.online = false;
        this.offlineReason = err instanceof Error ? err.message : String(err);
        if (!this.closed && this.client.status === 'ready') setTimeout(() => void this.reconcile(), this.options.reconnectMinMs ?? 100).unref();
      } finally {
        this.reconciling = null;
      }
    })();
    return this.reconciling;
  }

  /** Tells listeners when reachability changed (and the first time it is known). */
  private tellHealth(): void {
    if (this.told === this.online) return;
    this.told = this.online;
    const warnings = this.warnings();
    for (const listener of this.healthListeners) listener(warnings);
  }

  // ---- plumbing ----

  private canonical(key: OwnerKey): OwnerKey {
    return this.local.ledger.idOf(key);
  }

  /** Runs a script for an owner and takes its answer into the local copy; `now` '' for steps without a time. */
  private async runScript(op: string, name: string, owner: OwnerKey, args: (string | number)[], now: number | '', extraKeys: string[] = []): Promise<unknown> {
    const keys = [this.keys.doc(owner), this.keys.leases(owner), this.keys.owners, this.keys.events, ...extraKeys];
    const argv = [owner, now, this.clock(), this.keys.channel, this.eventsKept, ...args];
    this.seq.set(owner, (this.seq.get(owner) ?? 0) + 1);
    const [result, raw, leases] = (await this.metrics.time(op, () => (this.client as unknown as Commands)[name]!(...keys, ...argv))) as Reply;
    this.mirror(owner, raw, leases);
    return result;
  }

  /**
   * One writing step: on Redis when it is there, else on the local store (the owner is merged
   * back on reconnect). A failed Redis step also falls back, so a request is never lost to it.
   */
  private async write<T>(
    op: string,
    owner: OwnerKey,
    name: string,
    args: (string | number)[],
    ways: { offline: () => T | Promise<T>; online: (result: unknown) => T },
    now: number | '',
    extraKeys: string[] = [],
  ): Promise<T> {
    if (this.online) {
      try {
        return ways.online(await this.runScript(op, name, owner, args, now, extraKeys));
      } catch (err) {
        this.failed(err);
      }
    }
    this.dirty.add(owner);
    return ways.offline();
  }

  /** A Redis step failed: serve locally, and try again once the connection is (still) up. */
  private failed(err: unknown): void {
    this.goOffline(err instanceof Error ? err.message : String(err));
    if (!this.closed && this.client.status === 'ready') setTimeout(() => void this.reconcile(), this.options.reconnectMinMs ?? 100).unref();
  }

  private async mergeDoc(owner: OwnerKey, doc: OwnerDoc, now: number, offline: () => void): Promise<void> {
    await this.write('restore', owner, 'syMergeMax', [JSON.stringify(doc)], { offline, online: () => undefined }, now);
  }

  /**
   * Runs a counting step for one owner, or for every owner known (in Redis and here), and sums
   * the answers; locally while Redis is away.
   */
  private async everyOwner(owner: QuotaOwner | null, step: (key: OwnerKey) => Promise<unknown>, offline: () => Promise<number>): Promise<number> {
    if (!this.online) return offline();
    try {
      const known = owner !== null ? [this.canonical(ownerKey(owner))] : new Set([...this.local.ledger.subjects.keys(), ...(await this.client.zrange(this.keys.owners, '0', '-1'))]);
      let total = 0;
      for (const key of known) total += Number(await step(key));
      return total;
    } catch (err) {
      this.failed(err);
      return offline();
    }
  }
}

type Commands = Record<string, (...args: (string | number)[]) => Promise<unknown>>;

function refusalOf(kind: string, a: number | string, b: number | string, c: number): Refusal {
  if (kind === 'blocked') return { kind: 'blocked', block: JSON.parse(String(a)) as CooldownRecord };
  if (kind === 'probing') return { kind: 'probing' };
  if (kind === 'spent') return { kind: 'spent', window: { limitType: a as CountedLimitType, limit: Number(b), until: Number(c) } };
  const until = Number(b);
  return { kind: 'full', limit: a as 'minute' | 'day' | 'concurrent', until: until < 0 ? null : until };
}

/** The latest time a snapshot counted or noted something: the moment its windows are judged at. */
function latestActivity(snapshot: QuotaSnapshot): number | null {
  const times = [
    ...snapshot.owners.flatMap((o) => [o.minute.start, o.day.start, ...o.models.flatMap((m) => [m.minute.start, m.day.start, m.tokensDay.start])]),
    ...snapshot.limits.map((n) => n.at),
  ].filter((x): x is number => typeof x === 'number');
  return times.length ? Math.max(...times) : null;
}

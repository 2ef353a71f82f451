import { MemoryQuotaStore } from '../memory-quota-store';
import { ownerKey, type OwnerKey, type QuotaOwner } from '../quota-store';
import type { Connection } from './connection';
import { notesOf, parseDoc, subjectOf } from './doc';
import type { KeyLayout } from './keys';

type Reply = [unknown, string | null, string[]];

/** How a writing step ends: what it answers from Redis's result, or from the local store. */
export interface Ways<T> {
  offline: () => T | Promise<T>;
  online: (result: unknown) => T;
}

/**
 * The local copy of the shared state — an in-memory store the synchronous reads answer from,
 * and that serves alone while Redis is away — and the writing steps that keep it current: each
 * script's answer is taken into it, owners are re-read on change events and every refresh
 * period, and a per-owner sequence keeps an older read from overwriting a newer answer.
 */
export class Mirror {
  readonly local = new MemoryQuotaStore();
  /** Owners changed while Redis was away: merged back on reconnect (reconcile.ts). */
  readonly dirty = new Set<OwnerKey>();
  /** Bumped on every write an owner's copy took, so an older read never overwrites it. */
  private readonly seq = new Map<OwnerKey, number>();

  constructor(
    readonly conn: Connection,
    readonly keys: KeyLayout,
    readonly clock: () => number,
    private readonly eventsKept: number,
  ) {}

  /** The owner key an owner is kept under now (a provisional owner that merged: the real one). */
  canonical(key: OwnerKey): OwnerKey {
    return this.local.ledger.idOf(key);
  }

  keyOf(owner: QuotaOwner): OwnerKey {
    return this.canonical(ownerKey(owner));
  }

  /** An owner's copy is about to change here: a read begun before it must not overwrite it. */
  touch(owner: OwnerKey): void {
    this.seq.set(owner, (this.seq.get(owner) ?? 0) + 1);
  }

  /** Runs a script for an owner and takes its answer into the local copy; `now` '' for steps without a time. */
  async runScript(op: string, name: string, owner: OwnerKey, args: (string | number)[], now: number | '', extraKeys: string[] = []): Promise<unknown> {
    const keys = [this.keys.doc(owner), this.keys.leases(owner), this.keys.owners, this.keys.events, ...extraKeys];
    const argv = [owner, now, this.clock(), this.keys.channel, this.eventsKept, ...args];
    this.touch(owner);
    const [result, raw, leases] = (await this.conn.metrics.time(op, () => this.conn.commands[name]!(...keys, ...argv))) as Reply;
    this.mirror(owner, raw, leases);
    return result;
  }

  /**
   * One writing step: on Redis when it is there, else on the local store (the owner is merged
   * back on reconnect). A failed Redis step also falls back, so a request is never lost to it.
   */
  async write<T>(op: string, owner: OwnerKey, name: string, args: (string | number)[], ways: Ways<T>, now: number | '', extraKeys: string[] = []): Promise<T> {
    if (this.conn.online) {
      try {
        return ways.online(await this.runScript(op, name, owner, args, now, extraKeys));
      } catch (err) {
        this.conn.failed(err);
      }
    }
    this.dirty.add(owner);
    return ways.offline();
  }

  /**
   * Runs a counting step for one owner, or for every owner known (in Redis and here), and sums
   * the answers; locally while Redis is away.
   */
  async everyOwner(owner: QuotaOwner | null, step: (key: OwnerKey) => Promise<unknown>, offline: () => Promise<number>): Promise<number> {
    if (!this.conn.online) return offline();
    try {
      const known = owner !== null ? [this.keyOf(owner)] : new Set([...this.local.ledger.subjects.keys(), ...(await this.conn.client.zrange(this.keys.owners, '0', '-1'))]);
      let total = 0;
      for (const key of known) total += Number(await step(key));
      return total;
    } catch (err) {
      this.conn.failed(err);
      return offline();
    }
  }

  /** Reads every owner's state into the local copy (the periodic refresh; also on reconnect). */
  async refresh(): Promise<void> {
    if (!this.conn.online || this.conn.closed) return;
    const t = this.clock();
    const owners = await this.conn.metrics.time('refresh', () => this.conn.client.zrangebyscore(this.keys.owners, `(${t}`, '+inf'));
    await this.refreshOwners(owners, true);
  }

  /** Re-reads some owners (all: also drops owners Redis no longer has). */
  async refreshOwners(owners: readonly OwnerKey[], all: boolean): Promise<void> {
    const t = this.clock();
    const seen = new Map(this.seq);
    const before = new Map(owners.map((o) => [o, this.seq.get(o) ?? 0]));
    const pipeline = this.conn.client.pipeline();
    for (const owner of owners) pipeline.get(this.keys.doc(owner)).zrangebyscore(this.keys.leases(owner), `(${t}`, '+inf');
    const replies = (await this.conn.metrics.time('refresh', () => pipeline.exec())) ?? [];
    if (!this.conn.online) return;
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
}

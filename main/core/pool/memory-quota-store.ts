import { CAP_RECOVERY_MS } from './cooldowns';
import { emptyEntry, emptySubject, laterOf, Ledger, type Subject } from './ledger';
import { type CooldownEffect, type CooldownRecord, COUNTED_TYPES, type CountedLimitType, countIn, DAY_MS, emptyWindow, type Expired, isOpen, type Lease, type LeaseUsage, type LimitNote, MINUTE_MS, type ModelCountsOf, ownerKey, type OwnerQuota, type QuotaBlocks, type QuotaOwner, type QuotaSnapshot, type QuotaStore, type Reservation, type ReserveRequest, type StatedLimits, type Window, windowEnd } from './quota-store';

const live = (record: CooldownRecord | null, now: number) => (record && record.until > now ? record : null);

/**
 * Merges a block into a subject by max (a later 429 may extend a block, never shorten it). A
 * concurrency block also lowers the in-flight cap: upstream refused this request while the
 * others in flight were accepted.
 */
export function applyCooldownTo(subject: Subject, model: string, record: CooldownRecord, now: number): CooldownEffect {
  if (record.scope === 'concurrency') {
    const kept = laterOf(subject.pause, record) ?? record;
    subject.pause = kept;
    const value = Math.max(1, subject.inFlight - 1);
    subject.cap = { value: subject.cap ? Math.min(subject.cap.value, value) : value, until: now + CAP_RECOVERY_MS };
    return { kept, changed: kept === record };
  }
  if (record.scope === 'user') {
    const kept = laterOf(subject.userCooldown, record) ?? record;
    subject.userCooldown = kept;
    return { kept, changed: kept === record };
  }
  let entry = subject.models.get(model);
  if (!entry) {
    entry = emptyEntry();
    subject.models.set(model, entry);
  }
  const kept = laterOf(entry.cooldown, record) ?? record;
  entry.cooldown = kept;
  return { kept, changed: kept === record };
}

function usageOf(subject: Subject): OwnerQuota {
  return {
    owner: subject.id,
    minute: { ...subject.minute },
    day: { ...subject.day },
    inFlight: subject.inFlight,
    models: [...subject.models].map(([model, e]) => ({ model, minute: { ...e.minute }, day: { ...e.day }, tokensDay: { ...e.tokensDay }, inFlight: e.inFlight })),
  };
}

function clearSubject(subject: Subject, model: string | null): number {
  let cleared = 0;
  for (const [m, entry] of subject.models) {
    if (model !== null && m !== model) continue;
    if (entry.cooldown) cleared++;
    entry.cooldown = null;
  }
  if (model === null) {
    cleared += Number(subject.userCooldown !== null) + Number(subject.pause !== null);
    subject.userCooldown = null;
    subject.pause = null;
    subject.cap = null;
  }
  return cleared;
}

/**
 * The quota store of one process: the ledger (counts, blocks, caps) and the limit book in memory.
 * Every method does its work before it returns its promise, so within one process a choice and
 * its reservation see the same state.
 */
export class MemoryQuotaStore implements QuotaStore {
  /** The state itself, for this process's reads and tests. */
  readonly ledger = new Ledger();
  private nextLease = 1;
  /** Leases holding a slot, by id: their `owner\nmodel`, whether a probe, and whether upstream answered them 2xx. */
  private readonly held = new Map<number, { key: string; probe: boolean; answered: boolean }>();
  /** When a probe of an `owner\nmodel` was last let go. */
  private readonly probedAt = new Map<string, number>();

  async reserve(request: ReserveRequest): Promise<Reservation> {
    return this.reserveNow(request);
  }

  /** `reserve` without the promise (the in-memory store decides at once). */
  reserveNow({ owner, model, account, now, limits, probe }: ReserveRequest): Reservation {
    const key = ownerKey(owner);
    const blocks = this.blocks(owner, model, now);
    // The latest of the three blocks (the first of them on a tie), without arrays per request.
    let block: CooldownRecord | null = blocks.model;
    if (blocks.owner && (!block || blocks.owner.until > block.until)) block = blocks.owner;
    if (blocks.pause && (!block || blocks.pause.until > block.until)) block = blocks.pause;
    if (block && (!blocks.spent || block.until >= blocks.spent.until)) return { ok: false, refusal: { kind: 'blocked', block } };
    if (blocks.spent) return { ok: false, refusal: { kind: 'spent', window: blocks.spent } };
    const subject = this.ledger.find(key);
    const entry = subject?.models.get(model);
    if (limits) {
      if (entry && countIn(entry.day, now, DAY_MS) >= limits.perDay) return { ok: false, refusal: { kind: 'full', limit: 'day', until: windowEnd(entry.day, now, DAY_MS) } };
      if (entry && countIn(entry.minute, now, MINUTE_MS) >= limits.perMinute) return { ok: false, refusal: { kind: 'full', limit: 'minute', until: windowEnd(entry.minute, now, MINUTE_MS) } };
      const cap = blocks.cap ? blocks.cap.value : Infinity;
      if ((subject?.inFlight ?? 0) >= Math.min(limits.concurrent, cap)) return { ok: false, refusal: { kind: 'full', limit: 'concurrent', until: null } };
    }
    const probeKey = `${this.ledger.idOf(key)}\n${model}`;
    if (probe && this.probeHeld(probeKey, entry?.minute ?? null, now)) return { ok: false, refusal: { kind: 'probing' } };
    const positions = this.ledger.begin(key, model, now);
    const lease: Lease = { id: this.nextLease++, owner: this.ledger.idOf(key), model, account, at: now, positions };
    this.held.set(lease.id, { key: probeKey, probe: probe === true, answered: false });
    if (probe) this.probedAt.set(probeKey, now);
    return { ok: true, lease };
  }

  /**
   * Whether a probe of the (owner, model) must wait (quota-store.ts, `probe`): another probe is
   * unanswered, or one already went in this minute window and another request is unanswered.
   */
  private probeHeld(probeKey: string, minute: Window | null, now: number): boolean {
    const mine = [...this.held.values()].filter((l) => l.key === probeKey);
    if (mine.some((l) => l.probe && !l.answered)) return true;
    const probedAt = this.probedAt.get(probeKey);
    const probedThisWindow = probedAt !== undefined && minute !== null && minute.start !== null && isOpen(minute, now, MINUTE_MS) && probedAt >= minute.start;
    return probedThisWindow && mine.some((l) => !l.answered);
  }

  async answered(lease: Lease): Promise<void> {
    const held = this.held.get(lease.id);
    if (held) held.answered = true;
  }

  async release(lease: Lease, usage: LeaseUsage, now: number): Promise<void> {
    if (!this.held.delete(lease.id)) return;
    if (typeof usage.tokens === 'number') this.ledger.addTokens(lease.owner, lease.model, now, usage.tokens);
    this.ledger.end(lease.owner, lease.model);
  }

  async uncount(lease: Lease, now: number): Promise<void> {
    this.ledger.uncount(lease.owner, lease.model, now);
  }

  async applyCooldown(owner: QuotaOwner, model: string, record: CooldownRecord, now: number): Promise<CooldownEffect> {
    return applyCooldownTo(this.ledger.subject(ownerKey(owner)), model, record, now);
  }

  async clearBlocks(owner: QuotaOwner | null, model: string | null): Promise<number> {
    if (owner === null) {
      let cleared = 0;
      for (const subject of this.ledger.subjects.values()) cleared += clearSubject(subject, model);
      return cleared;
    }
    const subject = this.ledger.find(ownerKey(owner));
    return subject ? clearSubject(subject, model) : 0;
  }

  blocks(owner: QuotaOwner, model: string | null, now: number): QuotaBlocks {
    const key = ownerKey(owner);
    const subject = this.ledger.find(key);
    return {
      model: model === null ? null : live(subject?.models.get(model)?.cooldown ?? null, now),
      owner: live(subject?.userCooldown ?? null, now),
      pause: live(subject?.pause ?? null, now),
      cap: subject?.cap && subject.cap.until > now ? { ...subject.cap } : null,
      spent: model === null ? null : this.ledger.spentWindow(key, model, now),
    };
  }

  counts(owner: QuotaOwner, model: string): ModelCountsOf | null {
    const subject = this.ledger.find(ownerKey(owner));
    if (!subject) return null;
    const entry = subject.models.get(model);
    return entry ? { minute: entry.minute, day: entry.day, inFlight: entry.inFlight, ownerInFlight: subject.inFlight } : { minute: emptyWindow(), day: emptyWindow(), inFlight: 0, ownerInFlight: subject.inFlight };
  }

  usage(owner: QuotaOwner, _now: number): OwnerQuota | null {
    const subject = this.ledger.find(ownerKey(owner));
    return subject ? usageOf(subject) : null;
  }

  owners(_now: number): OwnerQuota[] {
    return [...this.ledger.subjects.values()].map(usageOf);
  }

  limits(owner: QuotaOwner, model: string): StatedLimits {
    const out: StatedLimits = {};
    // No limit stated by anyone (the common case): no keys to build.
    if (this.ledger.limits.size === 0) return out;
    const id = this.ledger.idOf(ownerKey(owner));
    for (const type of COUNTED_TYPES) {
      const note = this.ledger.limits.get(id, model, type);
      if (note) out[type] = note;
    }
    return out;
  }

  async noteLimit(owner: QuotaOwner, model: string, type: CountedLimitType, note: LimitNote): Promise<void> {
    this.ledger.limits.set(this.ledger.idOf(ownerKey(owner)), model, type, note);
  }

  async dropLimit(owner: QuotaOwner, model: string, type: CountedLimitType): Promise<void> {
    this.ledger.limits.drop(this.ledger.idOf(ownerKey(owner)), model, type);
  }

  async unconfirm(owner: QuotaOwner | null, model: string | null): Promise<number> {
    return this.ledger.limits.unconfirm(owner === null ? null : this.ledger.idOf(ownerKey(owner)), model);
  }

  async merge(from: QuotaOwner, to: QuotaOwner, now: number): Promise<void> {
    this.ledger.merge(ownerKey(from), ownerKey(to), now);
  }

  async nextExpiry(now: number): Promise<number | null> {
    return this.ledger.nextExpiry(now);
  }

  async sweep(now: number): Promise<Expired[]> {
    return this.ledger.sweep(now);
  }

  async snapshot(now: number): Promise<QuotaSnapshot> {
    return this.snapshotNow(now);
  }

  /** `snapshot` without the promise. */
  snapshotNow(now: number): QuotaSnapshot {
    return {
      owners: [...this.ledger.subjects.values()].map((s) => ({
        owner: s.id,
        minute: { ...s.minute },
        day: { ...s.day },
        models: [...s.models].map(([model, e]) => ({ model, minute: { ...e.minute }, day: { ...e.day }, tokensDay: { ...e.tokensDay }, cooldown: live(e.cooldown, now) })),
        userCooldown: live(s.userCooldown, now),
        pause: live(s.pause, now),
        cap: s.cap && s.cap.until > now ? { ...s.cap } : null,
      })),
      limits: this.ledger.limits.list().map(({ subject, ...note }) => ({ owner: subject, ...note })),
    };
  }

  async restore(snapshot: QuotaSnapshot): Promise<void> {
    this.restoreNow(snapshot);
  }

  /** `restore` without the promise. */
  restoreNow(snapshot: QuotaSnapshot): void {
    this.ledger.clear();
    this.held.clear();
    this.probedAt.clear();
    for (const s of snapshot.owners) {
      const subject = emptySubject(s.owner);
      subject.minute = { ...s.minute };
      subject.day = { ...s.day };
      subject.userCooldown = s.userCooldown;
      subject.pause = s.pause;
      subject.cap = s.cap;
      for (const e of s.models) subject.models.set(e.model, { ...emptyEntry(), minute: { ...e.minute }, day: { ...e.day }, tokensDay: { ...e.tokensDay }, cooldown: e.cooldown });
      this.ledger.subjects.set(subject.id, subject);
    }
    this.ledger.limits.load(snapshot.limits.map(({ owner, ...note }) => ({ subject: owner, ...note })));
  }
}

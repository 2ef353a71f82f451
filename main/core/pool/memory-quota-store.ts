import { CAP_RECOVERY_MS } from './cooldowns';
import { addTo, type ConcurrencyCap, type CooldownEffect, type CooldownRecord, COUNTED_TYPES, type CountedLimitType, countIn, DAY_MS, emptyWindow, type Expired, isOpen, laterOf, type Lease, type LeaseUsage, type LimitNote, MINUTE_MS, type ModelCountsOf, ownerKey, type OwnerQuota, type Positions, type QuotaBlocks, type QuotaOwner, type QuotaSnapshot, type QuotaStore, type Reservation, type ReserveRequest, type SpentWindow, type StatedLimits, takeFrom, type Window, windowEnd } from './quota-store';

/**
 * The in-memory quota store: one process's quota state. Its ledger holds what each
 * quota owner (a "subject", kept under its owner key, e.g. `github:alice`) has spent, per model
 * and in total. Two keys of one owner share one subject. A key whose owner is not known yet is
 * its own subject (`github:key:<account key>`) until the owner resolves, then merges into it.
 */

export interface ModelEntry {
  minute: Window;
  day: Window;
  tokensDay: Window;
  inFlight: number;
  /** A model-scoped limit (UserByModelBy*, or an Unknown one). */
  cooldown: CooldownRecord | null;
}

export interface Subject {
  id: string;
  models: Map<string, ModelEntry>;
  /** Requests of this login over all models. */
  minute: Window;
  day: Window;
  inFlight: number;
  /** UserByMinute: every model of this login. */
  userCooldown: CooldownRecord | null;
  /** UserConcurrentRequests: a short pause. */
  pause: CooldownRecord | null;
  cap: ConcurrencyCap | null;
}

export const emptyEntry = (): ModelEntry => ({
  minute: emptyWindow(),
  day: emptyWindow(),
  tokensDay: emptyWindow(),
  inFlight: 0,
  cooldown: null,
});

export const emptySubject = (id: string): Subject => ({
  id,
  models: new Map(),
  minute: emptyWindow(),
  day: emptyWindow(),
  inFlight: 0,
  userCooldown: null,
  pause: null,
  cap: null,
});

function mergeWindow(a: Window, b: Window, now: number, lengthMs: number): Window {
  const openA = isOpen(a, now, lengthMs);
  const openB = isOpen(b, now, lengthMs);
  if (openA && openB) return { start: Math.min(a.start ?? now, b.start ?? now), count: a.count + b.count };
  return openA ? { ...a } : openB ? { ...b } : emptyWindow();
}

export class Ledger {
  readonly subjects = new Map<string, Subject>();
  /** Window limits GitHub stated in 429s, per (subject, model, type). */
  readonly limits = new LimitBook();
  private readonly aliases = new Map<string, string>();

  /** The id a subject is kept under (a provisional key id after its login joined it: the login's). */
  idOf(id: string): string {
    return this.canonical(id);
  }

  private canonical(id: string): string {
    let current = id;
    for (let i = 0; i < 8 && this.aliases.has(current); i++) current = this.aliases.get(current) ?? current;
    return current;
  }

  find(id: string): Subject | undefined {
    return this.subjects.get(this.canonical(id));
  }

  subject(id: string): Subject {
    const key = this.canonical(id);
    let subject = this.subjects.get(key);
    if (!subject) {
      subject = emptySubject(key);
      this.subjects.set(key, subject);
    }
    return subject;
  }

  peek(id: string, model: string): ModelEntry | undefined {
    return this.find(id)?.models.get(model);
  }

  entry(id: string, model: string): ModelEntry {
    const subject = this.subject(id);
    let entry = subject.models.get(model);
    if (!entry) {
      entry = emptyEntry();
      subject.models.set(model, entry);
    }
    return entry;
  }

  /** A request is going upstream: count it and hold an in-flight slot. */
  begin(id: string, model: string, now: number): Positions {
    const subject = this.subject(id);
    const entry = this.entry(id, model);
    addTo(entry.minute, now, MINUTE_MS);
    addTo(entry.day, now, DAY_MS);
    addTo(subject.minute, now, MINUTE_MS);
    addTo(subject.day, now, DAY_MS);
    entry.inFlight++;
    subject.inFlight++;
    return { minute: entry.minute.count, day: entry.day.count };
  }

  /** A confirmed window limit this subject has reached for the model (LimitBook, below). */
  spentWindow(id: string, model: string, now: number): SpentWindow | null {
    const key = this.canonical(id);
    return this.limits.spent(key, model, this.subjects.get(key)?.models.get(model), now);
  }

  /** The in-flight slot is free again. */
  end(id: string, model: string): void {
    const subject = this.find(id);
    const entry = subject?.models.get(model);
    if (subject) subject.inFlight = Math.max(0, subject.inFlight - 1);
    if (entry) entry.inFlight = Math.max(0, entry.inFlight - 1);
  }

  /** Upstream refused the request, so it did not use quota. */
  uncount(id: string, model: string, now: number): void {
    const subject = this.find(id);
    const entry = subject?.models.get(model);
    if (!subject || !entry) return;
    takeFrom(entry.minute, now, MINUTE_MS);
    takeFrom(entry.day, now, DAY_MS);
    takeFrom(subject.minute, now, MINUTE_MS);
    takeFrom(subject.day, now, DAY_MS);
  }

  addTokens(id: string, model: string, now: number, tokens: number): void {
    if (!Number.isFinite(tokens) || tokens <= 0) return;
    addTo(this.entry(id, model).tokensDay, now, DAY_MS, Math.round(tokens));
  }

  /** A token's login became known: its provisional subject joins the login's. */
  merge(fromId: string, toId: string, now: number): void {
    const from = this.find(fromId);
    const targetKey = this.canonical(toId);
    this.limits.rename(this.canonical(fromId), targetKey);
    if (!from || from.id === targetKey) {
      if (fromId !== targetKey) this.aliases.set(fromId, targetKey);
      return;
    }
    const to = this.subject(targetKey);
    for (const [model, a] of from.models) {
      const b = to.models.get(model);
      if (!b) {
        to.models.set(model, a);
        continue;
      }
      b.minute = mergeWindow(a.minute, b.minute, now, MINUTE_MS);
      b.day = mergeWindow(a.day, b.day, now, DAY_MS);
      b.tokensDay = mergeWindow(a.tokensDay, b.tokensDay, now, DAY_MS);
      b.inFlight += a.inFlight;
      b.cooldown = laterOf(b.cooldown, a.cooldown);
    }
    to.minute = mergeWindow(from.minute, to.minute, now, MINUTE_MS);
    to.day = mergeWindow(from.day, to.day, now, DAY_MS);
    to.inFlight += from.inFlight;
    to.userCooldown = laterOf(to.userCooldown, from.userCooldown);
    to.pause = laterOf(to.pause, from.pause);
    if (from.cap) to.cap = to.cap && to.cap.value <= from.cap.value ? to.cap : from.cap;
    this.subjects.delete(from.id);
    this.aliases.set(from.id, targetKey);
    if (fromId !== from.id) this.aliases.set(fromId, targetKey);
  }

  /** Drops cooldowns, pauses and caps whose time has come; says which. */
  sweep(now: number): Expired[] {
    const expired: Expired[] = [];
    for (const subject of this.subjects.values()) {
      for (const [model, entry] of subject.models) {
        if (entry.cooldown && entry.cooldown.until <= now) {
          expired.push({ owner: subject.id, model, account: entry.cooldown.account, kind: 'cooldown' });
          entry.cooldown = null;
        }
      }
      if (subject.userCooldown && subject.userCooldown.until <= now) {
        expired.push({ owner: subject.id, model: null, account: subject.userCooldown.account, kind: 'user' });
        subject.userCooldown = null;
      }
      if (subject.pause && subject.pause.until <= now) {
        expired.push({ owner: subject.id, model: null, account: subject.pause.account, kind: 'pause' });
        subject.pause = null;
      }
      if (subject.cap && subject.cap.until <= now) {
        expired.push({ owner: subject.id, model: null, account: '', kind: 'cap' });
        subject.cap = null;
      }
      this.prune(subject, now);
    }
    return expired;
  }

  /** Forgets entries (and subjects) with nothing open, in flight or cooling: the ledger stays small. */
  private prune(subject: Subject, now: number): void {
    for (const [model, e] of subject.models) {
      const idle = e.inFlight === 0 && !e.cooldown && !isOpen(e.day, now, DAY_MS) && !isOpen(e.minute, now, MINUTE_MS) && !isOpen(e.tokensDay, now, DAY_MS);
      if (idle) subject.models.delete(model);
    }
    const idle =
      subject.models.size === 0 && subject.inFlight === 0 && !subject.userCooldown && !subject.pause && !subject.cap && !isOpen(subject.day, now, DAY_MS);
    if (idle) this.subjects.delete(subject.id);
  }

  /**
   * The earliest time something in the ledger expires (for the sweep timer); given `now`, the
   * ends of windows spent up to a confirmed limit count too.
   */
  nextExpiry(now?: number): number | null {
    let next: number | null = null;
    const consider = (t: number | undefined) => {
      if (t !== undefined && (next === null || t < next)) next = t;
    };
    for (const subject of this.subjects.values()) {
      for (const [model, entry] of subject.models) {
        consider(entry.cooldown?.until);
        if (now !== undefined) consider(this.limits.spent(subject.id, model, entry, now)?.until);
      }
      consider(subject.userCooldown?.until);
      consider(subject.pause?.until);
      consider(subject.cap?.until);
    }
    return next;
  }

  clear(): void {
    this.subjects.clear();
    this.aliases.clear();
    this.limits.clear();
  }
}

/**
 * Window limits as GitHub stated them. A 429's message says "Rate limit of N per Ws exceeded for
 * Type". When N is the limit our forecast used for that (login, model, type), the forecast is
 * confirmed: while it is, a window our counts show spent is treated like a known cooldown until
 * the window ends (no request goes upstream to hear the same 429 again; the bounded wait or the
 * honest 429 applies). When N differs, N becomes the forecast's limit for that login and model.
 *
 * Why this is safe (upstream stays the authority):
 * - A confirmation only comes from upstream: the first spent window of each (login, model, type)
 *   still sends one probe and hears the 429 itself.
 * - Any upstream evidence overrides it at once: a 429 that states another N replaces the limit
 *   (unconfirmed); a 2xx for a request counted beyond the noted limit drops the note (the
 *   documented table applies again); a 429 with our counts below the limit is a cooldown as ever.
 * - A confirmation lapses CONFIRMED_FOR_MS after the 429 that stated it, so a limit GitHub raised
 *   is found again within a day (one probe), and a manual reset unconfirms at once.
 * - Only windows we count are covered (per-model minute and day); tokens, user-wide and
 *   concurrency limits are untouched.
 */

/** How long a confirmation holds without a new 429 stating it. */
export const CONFIRMED_FOR_MS = DAY_MS;

const WINDOW_MS: Record<CountedLimitType, number> = { UserByModelByMinute: MINUTE_MS, UserByModelByDay: DAY_MS };

/** The windows the ledger counts for one (subject, model). */
export interface CountedWindows {
  minute: Window;
  day: Window;
}

export const windowOf = (entry: CountedWindows, type: CountedLimitType): Window => (type === 'UserByModelByMinute' ? entry.minute : entry.day);

export interface SavedNote extends LimitNote {
  subject: string;
  model: string;
  limitType: CountedLimitType;
}

const keyOf = (subject: string, model: string, type: CountedLimitType) => `${subject}\n${model}\n${type}`;

/** Notes per (subject, model, type); the ledger holds one and keys it by canonical subject id. */
export class LimitBook {
  private readonly notes = new Map<string, SavedNote>();

  /** How many notes are held. */
  get size(): number {
    return this.notes.size;
  }

  get(subject: string, model: string, type: CountedLimitType): LimitNote | undefined {
    const note = this.notes.get(keyOf(subject, model, type));
    return note && { limit: note.limit, confirmed: note.confirmed, at: note.at };
  }

  set(subject: string, model: string, type: CountedLimitType, note: LimitNote): void {
    this.notes.set(keyOf(subject, model, type), { subject, model, limitType: type, limit: note.limit, confirmed: note.confirmed, at: note.at });
  }

  drop(subject: string, model: string, type: CountedLimitType): boolean {
    return this.notes.delete(keyOf(subject, model, type));
  }

  /** Unconfirms every note of a subject (and model, when given); says how many were confirmed. */
  unconfirm(subject: string | null, model: string | null): number {
    let n = 0;
    for (const note of this.notes.values()) {
      if ((subject !== null && note.subject !== subject) || (model !== null && note.model !== model) || !note.confirmed) continue;
      note.confirmed = false;
      n++;
    }
    return n;
  }

  /** A confirmed limit whose window `entry` has filled (the latest to end when both have). */
  spent(subject: string, model: string, entry: CountedWindows | undefined, now: number): SpentWindow | null {
    if (!entry || this.notes.size === 0) return null;
    let latest: SpentWindow | null = null;
    for (const type of COUNTED_TYPES) {
      const note = this.get(subject, model, type);
      if (!note?.confirmed || now - note.at >= CONFIRMED_FOR_MS) continue;
      const window = windowOf(entry, type);
      const until = windowEnd(window, now, WINDOW_MS[type]);
      if (until === null || countIn(window, now, WINDOW_MS[type]) < note.limit) continue;
      if (!latest || until > latest.until) latest = { limitType: type, limit: note.limit, until };
    }
    return latest;
  }

  /** A provisional subject joined a login: its notes move unless the login has its own. */
  rename(from: string, to: string): void {
    if (from === to) return;
    for (const note of [...this.notes.values()]) {
      if (note.subject !== from) continue;
      this.notes.delete(keyOf(from, note.model, note.limitType));
      if (!this.notes.has(keyOf(to, note.model, note.limitType))) this.set(to, note.model, note.limitType, note);
    }
  }

  list(): SavedNote[] {
    return [...this.notes.values()].map((n) => ({ ...n }));
  }

  load(notes: readonly SavedNote[]): void {
    this.notes.clear();
    for (const n of notes) this.set(n.subject, n.model, n.limitType, { limit: n.limit, confirmed: n.confirmed, at: n.at });
  }

  clear(): void {
    this.notes.clear();
  }
}


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

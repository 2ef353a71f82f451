import type { Cooldown } from '../../../shared/domain';
import { LimitBook, type SpentWindow } from './confirmed-limits';
import { addTo, DAY_MS, emptyWindow, isOpen, MINUTE_MS, takeFrom, type Window } from './windows';

/**
 * The quota ledger, the state of the in-memory quota store (memory-quota-store.ts): what each
 * quota owner (a "subject", kept under its owner key, e.g. `github:alice`) has spent, per model
 * and in total. Two keys of one owner share one subject. A key whose owner is not known yet is
 * its own subject (`github:key:<account key>`) until the owner resolves, then merges into it.
 */

export interface CooldownRecord extends Cooldown {
  /** The account whose request earned the 429. */
  account: string;
}

export interface ModelEntry {
  minute: Window;
  day: Window;
  tokensDay: Window;
  inFlight: number;
  /** A model-scoped limit (UserByModelBy*, or an Unknown one). */
  cooldown: CooldownRecord | null;
}

/** A lowered in-flight cap learned from UserConcurrentRequests; lifted at `until`. */
export interface ConcurrencyCap {
  value: number;
  until: number;
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

export interface Expired {
  /** The owner key (see quota-store.ts). */
  owner: string;
  /** null for user-wide records. */
  model: string | null;
  account: string;
  kind: 'cooldown' | 'user' | 'pause' | 'cap';
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

/** Keeps the later of two cooldowns: a later 429 may extend a block, never shorten it. */
export function laterOf(a: CooldownRecord | null, b: CooldownRecord | null): CooldownRecord | null {
  if (!a) return b;
  if (!b) return a;
  return b.until > a.until ? b : a;
}

function mergeWindow(a: Window, b: Window, now: number, lengthMs: number): Window {
  const openA = isOpen(a, now, lengthMs);
  const openB = isOpen(b, now, lengthMs);
  if (openA && openB) return { start: Math.min(a.start ?? now, b.start ?? now), count: a.count + b.count };
  return openA ? { ...a } : openB ? { ...b } : emptyWindow();
}

/** Where a request stands in its (login, model) windows: the counts right after it was counted. */
export interface Positions {
  minute: number;
  day: number;
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

  /** A confirmed window limit this subject has reached for the model (see confirmed-limits.ts). */
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

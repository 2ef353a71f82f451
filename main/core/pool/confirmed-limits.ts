import type { LimitType } from '../../../shared/domain';
import { countIn, DAY_MS, MINUTE_MS, windowEnd, type Window } from './windows';

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

/** The limit types whose windows the ledger counts per (login, model). */
export const COUNTED_TYPES = ['UserByModelByMinute', 'UserByModelByDay'] as const;
export type CountedLimitType = (typeof COUNTED_TYPES)[number];

/** How long a confirmation holds without a new 429 stating it. */
export const CONFIRMED_FOR_MS = DAY_MS;

const WINDOW_MS: Record<CountedLimitType, number> = { UserByModelByMinute: MINUTE_MS, UserByModelByDay: DAY_MS };

export const isCounted = (type: LimitType | string): type is CountedLimitType => (COUNTED_TYPES as readonly string[]).includes(type);

/** The windows the ledger counts for one (subject, model). */
export interface CountedWindows {
  minute: Window;
  day: Window;
}

export const windowOf = (entry: CountedWindows, type: CountedLimitType): Window => (type === 'UserByModelByMinute' ? entry.minute : entry.day);

export interface LimitNote {
  /** The limit the forecast uses for this login, model and type: the N a 429 stated. */
  limit: number;
  /** The 429 stated the limit the forecast already used. */
  confirmed: boolean;
  /** When a 429 last stated it (epoch ms). */
  at: number;
}

export interface SavedNote extends LimitNote {
  subject: string;
  model: string;
  limitType: CountedLimitType;
}

/** A window whose confirmed limit our counts have reached. */
export interface SpentWindow {
  limitType: CountedLimitType;
  limit: number;
  until: number;
}

/** "Rate limit of N per Ws exceeded for Type": the limit and its type, or null. */
export function statedLimit(message: string): { limit: number; limitType: string } | null {
  const m = /Rate limit of (\d+) per \d+s exceeded for ([A-Za-z]+)/.exec(message);
  return m ? { limit: Number(m[1]), limitType: m[2]! } : null;
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

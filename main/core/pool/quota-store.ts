import type { Cooldown, LimitType } from '../../../shared/domain';
import type { ProviderId } from '../providers/types';

/**
 * The quota store: what every quota owner has spent, the blocks upstream put on it, and the
 * limits upstream stated. The pool is handed one; the in-memory one (memory-quota-store.ts)
 * serves one process, a shared one (Redis) several replicas. Every step that a shared store
 * must do on the server is asynchronous, and checks and counts at once, so no correctness
 * depends on two steps running without an `await` between them.
 *
 * Quota is keyed by a quota owner (provider + owner id: a GitHub login today) and a model —
 * never by an account: two keys of one owner spend one quota.
 */

/** Who owns a quota. `id` is the provider's owner id; `key:<account>` while it is not known yet. */
export interface QuotaOwner {
  provider: ProviderId;
  id: string;
}

/** The string an owner is kept under: `provider:id` (`github:alice`, `github:key:GITHUB_TOKEN`). */
export type OwnerKey = string;

export const ownerKey = (owner: QuotaOwner): OwnerKey => `${owner.provider}:${owner.id}`;

/** The owner an account counts against until its provider names the real one. */
export const provisionalOwner = (provider: ProviderId, accountKey: string): QuotaOwner => ({ provider, id: `key:${accountKey}` });

export const isProvisional = (owner: QuotaOwner): boolean => owner.id.startsWith('key:');

/** Counted limits a reservation checks before counting (the forecast's, for this owner and model). */
export interface ReserveLimits {
  perMinute: number;
  perDay: number;
  /** In flight over all models of the owner. */
  concurrent: number;
}

export interface ReserveRequest {
  owner: QuotaOwner;
  model: string;
  /** The account whose request it is (named in blocks its answer causes). */
  account: string;
  now: number;
  /**
   * When given, the reservation is refused once a window or the in-flight count has reached
   * them. Null: only blocks refuse (a probe: upstream, not the forecast, decides).
   */
  limits: ReserveLimits | null;
  /**
   * A probe that waits its turn, on every replica of a shared store: refused (`probing`) while
   * another probe of the same (owner, model) holds a slot unanswered, or — once a probe went in
   * this minute window — while any other request of it holds a slot unanswered: upstream may
   * have given that probe the room the other was counted for, so the other's answer may be the
   * window's one 429 (a 429 is in the store as a block before its slot is freed), and a second
   * probe sent before it would be a second 429 (issue 14). Unset: no such check (a probe whose
   * wait ran out, or an ordinary send).
   */
  probe?: boolean;
}

/** A counted request holding an in-flight slot; released exactly once. */
export interface Lease {
  readonly id: number;
  readonly owner: OwnerKey;
  readonly model: string;
  readonly account: string;
  readonly at: number;
  /** The (owner, model) window counts right after this request was counted. */
  readonly positions: Positions;
}

/** Why a reservation was refused. */
export type Refusal =
  /** A 429 in force (model, owner-wide or a concurrency pause). */
  | { kind: 'blocked'; block: CooldownRecord }
  /** A confirmed limit is reached (memory-quota-store.ts, LimitBook). */
  | { kind: 'spent'; window: SpentWindow }
  /** The given limits are reached: `until` when the window ends, null for in-flight. */
  | { kind: 'full'; limit: 'minute' | 'day' | 'concurrent'; until: number | null }
  /** Another probe of the (owner, model) is in flight (`probe` reservations only): wait for its answer. */
  | { kind: 'probing' };

export type Reservation = { ok: true; lease: Lease } | { ok: false; refusal: Refusal };

/** What a finished request spent beyond being counted. */
export interface LeaseUsage {
  /** Tokens the upstream body reported (chat/embeddings `usage.total_tokens`). */
  tokens?: number | null;
}

/** The outcome of applying a cooldown: the block in force now, and whether this one changed it. */
export interface CooldownEffect {
  kept: CooldownRecord;
  changed: boolean;
}

/** The blocks of one (owner, model): what refuses a reservation, and what views show. */
export interface QuotaBlocks {
  /** Model-scoped 429 in force. */
  model: CooldownRecord | null;
  /** Owner-wide 429 (UserByMinute) in force. */
  owner: CooldownRecord | null;
  /** Concurrency pause in force. */
  pause: CooldownRecord | null;
  /** A lowered in-flight cap in force. */
  cap: ConcurrencyCap | null;
  /** A confirmed limit the counts have reached. */
  spent: SpentWindow | null;
}

/** One (owner, model) as counted. */
export interface ModelCounts {
  model: string;
  minute: Window;
  day: Window;
  tokensDay: Window;
  inFlight: number;
}

/** One (owner, model)'s windows with the owner's in-flight count over all models. */
export interface ModelCountsOf {
  readonly minute: Readonly<Window>;
  readonly day: Readonly<Window>;
  readonly inFlight: number;
  readonly ownerInFlight: number;
}

/** One owner as counted, for choosing and views (a shared store answers from its latest copy). */
export interface OwnerQuota {
  owner: OwnerKey;
  minute: Window;
  day: Window;
  inFlight: number;
  models: ModelCounts[];
}

/** Limits an owner's answers stated, per counted type. */
export type StatedLimits = Partial<Record<CountedLimitType, LimitNote>>;

/** JSON-safe state for persistence; `restore` accepts what `snapshot` returned. */
export interface QuotaSnapshot {
  owners: SavedOwner[];
  limits: SavedLimit[];
}

export interface SavedOwner {
  owner: OwnerKey;
  minute: Window;
  day: Window;
  models: { model: string; minute: Window; day: Window; tokensDay: Window; cooldown: CooldownRecord | null }[];
  userCooldown: CooldownRecord | null;
  pause: CooldownRecord | null;
  cap: ConcurrencyCap | null;
}

export interface SavedLimit extends LimitNote {
  owner: OwnerKey;
  model: string;
  limitType: CountedLimitType;
}

export interface QuotaStore {
  /** Checks the (owner, model) and, when nothing refuses, counts the request and holds a slot. */
  reserve(request: ReserveRequest): Promise<Reservation>;
  /** The request ended (relayed or abandoned): frees its slot and records its usage. Once per lease. */
  release(lease: Lease, usage: LeaseUsage, now: number): Promise<void>;
  /**
   * Upstream answered the request 2xx (its headers are in; upstream counted it): it no longer
   * holds a probe of its (owner, model) back, though its slot stays held until release (a long
   * body would otherwise hold every probe back until it was read). See `ReserveRequest.probe`.
   */
  answered?(lease: Lease): Promise<void>;
  /** Upstream refused the request, so it did not use quota: takes its count back. */
  uncount(lease: Lease, now: number): Promise<void>;
  /**
   * A block until an absolute time, merged by max: a later, shorter answer never shortens it.
   * Scope `concurrency` also lowers the owner's in-flight cap below what upstream refused.
   */
  applyCooldown(owner: QuotaOwner, model: string, record: CooldownRecord, now: number): Promise<CooldownEffect>;
  /** Clears blocks (and lowered caps) of an owner (all: null), for a model (all: null); says how many. */
  clearBlocks(owner: QuotaOwner | null, model: string | null): Promise<number>;

  /*
   * Reads, for choosing and views. They answer at once: a shared store answers from its latest
   * copy, which may be a moment old — safe, because `reserve` checks again where it counts.
   */
  /** The blocks of an (owner, model) at `now`; model null: only the owner-wide ones. */
  blocks(owner: QuotaOwner, model: string | null, now: number): QuotaBlocks;
  /** The counts of one (owner, model), for the forecast; null when nothing is counted. */
  counts(owner: QuotaOwner, model: string): ModelCountsOf | null;
  /** The counts of an owner over all its models, or null when nothing is counted. */
  usage(owner: QuotaOwner, now: number): OwnerQuota | null;
  /** Every owner with counts or blocks. */
  owners(now: number): OwnerQuota[];

  /** The limits upstream stated for an (owner, model). */
  limits(owner: QuotaOwner, model: string): StatedLimits;
  noteLimit(owner: QuotaOwner, model: string, type: CountedLimitType, note: LimitNote): Promise<void>;
  dropLimit(owner: QuotaOwner, model: string, type: CountedLimitType): Promise<void>;
  /** Unconfirms stated limits of an owner (all: null), for a model (all: null); says how many. */
  unconfirm(owner: QuotaOwner | null, model: string | null): Promise<number>;

  /** A provisional owner turned out to be `to`: its counts, blocks and limits join `to`'s. */
  merge(from: QuotaOwner, to: QuotaOwner, now: number): Promise<void>;

  /** The earliest time a block, a lowered cap or a spent confirmed window ends; null: none. */
  nextExpiry(now: number): Promise<number | null>;
  /** Drops what has expired by `now` and says what did (each expiry is told once). */
  sweep(now: number): Promise<Expired[]>;

  snapshot(now: number): Promise<QuotaSnapshot>;
  /** Replaces the state with a snapshot's (bad items are the caller's to drop beforehand). */
  restore(snapshot: QuotaSnapshot): Promise<void>;

  /**
   * A shared store tells when another replica changed the state (a slot freed, a block learned)
   * or its reachability changed, so requests waiting here look again at once and views are
   * pushed. The in-memory store has no one else to hear.
   */
  onChange?(listener: () => void): () => void;
}

/* Limits upstream stated in 429s (the in-memory store keeps them in its LimitBook). */

/** The limit types whose windows the ledger counts per (login, model). */
export const COUNTED_TYPES = ['UserByModelByMinute', 'UserByModelByDay'] as const;
export type CountedLimitType = (typeof COUNTED_TYPES)[number];

export const isCounted = (type: LimitType | string): type is CountedLimitType => (COUNTED_TYPES as readonly string[]).includes(type);

export interface LimitNote {
  /** The limit the forecast uses for this login, model and type: the N a 429 stated. */
  limit: number;
  /** The 429 stated the limit the forecast already used. */
  confirmed: boolean;
  /** When a 429 last stated it (epoch ms). */
  at: number;
}

/** A window whose confirmed limit our counts have reached. */
export interface SpentWindow {
  limitType: CountedLimitType;
  limit: number;
  until: number;
}

/* Blocks and positions, as the store answers them. */

export interface CooldownRecord extends Cooldown {
  /** The account whose request earned the 429. */
  account: string;
}

/** Keeps the later of two cooldowns: a later 429 may extend a block, never shorten it. */
export function laterOf(a: CooldownRecord | null, b: CooldownRecord | null): CooldownRecord | null {
  if (!a) return b;
  if (!b) return a;
  return b.until > a.until ? b : a;
}

/** A lowered in-flight cap learned from UserConcurrentRequests; lifted at `until`. */
export interface ConcurrencyCap {
  value: number;
  until: number;
}

export interface Expired {
  /** The owner key (see quota-store.ts). */
  owner: string;
  /** null for user-wide records. */
  model: string | null;
  account: string;
  kind: 'cooldown' | 'user' | 'pause' | 'cap';
}

/** Where a request stands in its (login, model) windows: the counts right after it was counted. */
export interface Positions {
  minute: number;
  day: number;
}

/**
 * The counted windows. Fixed windows as GitHub (and the simulator) count them: a window opens at the first counted
 * request and lasts its length; the next request after it ends opens a new one.
 */
export interface Window {
  /** Epoch ms the window opened; null when nothing was counted yet. */
  start: number | null;
  count: number;
}

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

export const emptyWindow = (): Window => ({ start: null, count: 0 });

export function isOpen(w: Window, now: number, lengthMs: number): boolean {
  return w.start !== null && now < w.start + lengthMs;
}

/** The count in the window that is open at `now` (0 when it has ended). */
export function countIn(w: Window, now: number, lengthMs: number): number {
  return isOpen(w, now, lengthMs) ? w.count : 0;
}

/** Adds `n`, opening a new window first when the previous one has ended. */
export function addTo(w: Window, now: number, lengthMs: number, n = 1): void {
  if (!isOpen(w, now, lengthMs)) {
    w.start = now;
    w.count = 0;
  }
  w.count += n;
}

/** Takes back `n` from the open window (a request upstream refused does not count). */
export function takeFrom(w: Window, now: number, lengthMs: number, n = 1): void {
  if (isOpen(w, now, lengthMs)) w.count = Math.max(0, w.count - n);
}

/** When the open window ends; null when none is open. */
export function windowEnd(w: Window, now: number, lengthMs: number): number | null {
  return isOpen(w, now, lengthMs) && w.start !== null ? w.start + lengthMs : null;
}

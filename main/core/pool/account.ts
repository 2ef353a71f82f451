import { createHash } from 'node:crypto';
import { ConsecutiveBreaker } from 'cockatiel';
import type { Plan } from '../../../shared/domain';
import { maskToken } from '../mask';
import type { ProviderCredentials, ProviderId } from '../providers/types';
import type { Retirement } from '../upstream/retirement';
import { ownerKey, provisionalOwner, type QuotaBlocks, type QuotaOwner, type QuotaStore, type SpentWindow, type CooldownRecord, laterOf } from './quota-store';
import type { AccountInput } from './types';

/*
 * An account as the pool holds it: its key and token, its owner (whose quota it spends), its
 * circuit breaker, and its health read from its marks and the quota store's blocks. The marks are
 * written only by health.ts (every transition); this file defines and reads them.
 */

export { maskToken };

/** How far the account's login is known. */
export type Resolution =
  | { kind: 'pending' }
  | { kind: 'resolved' }
  /** GET /user failed (not 401): the account stays usable, with a cached login if any. */
  | { kind: 'unreachable'; message: string };

/** One account as the pool holds it. The token stays in here and in the upstream call. */
export interface AccountState {
  key: string;
  /** Whose API the token is for (GitHub Models for every account today). */
  provider: ProviderId;
  token: string;
  /** What the provider needs beside the key; null for GitHub Models (its client knows its hosts). */
  creds: ProviderCredentials | null;
  fingerprint: string;
  masked: string;
  plan: Plan;
  disabled: boolean;
  login: string | null;
  avatarUrl: string | null;
  resolution: Resolution;
  /** Upstream said 401: unusable until the token is replaced. */
  invalid: { reason: string } | null;
  /** Models upstream answered 403 for on this account. */
  forbidden: Set<string>;
  /** The circuit, and the count of consecutive 5xx / network failures. */
  breaker: AccountBreaker;
}

/** An owner id that says nothing but the key (providers/owners.ts keyFingerprint, quota-store's provisional owner). */
export function isStandInOwner(id: string | null | undefined): boolean {
  return !id || id.startsWith('key-') || id.startsWith('key:');
}

/** A short one-way digest that recognises a token again without keeping it. */
export function fingerprintOf(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 16);
}

export function newAccount(input: AccountInput, cached: { login: string; avatarUrl: string | null } | null): AccountState {
  return {
    key: input.key,
    provider: input.provider ?? 'github',
    token: input.token,
    creds: input.creds ?? null,
    fingerprint: fingerprintOf(input.token),
    masked: maskToken(input.token),
    plan: input.plan ?? 'free',
    disabled: input.disabled ?? false,
    // Other providers' owners are known from the account itself (see providers/owners.ts).
    // A stand-in owner (the key's hash) gives way to one a provider named earlier (pool/discovered-owner.ts).
    login: (input.provider ?? 'github') === 'github' ? (cached?.login ?? null) : isStandInOwner(input.owner) ? (cached?.login ?? input.owner ?? null) : (input.owner ?? null),
    avatarUrl: cached?.avatarUrl ?? null,
    resolution: { kind: 'pending' },
    invalid: null,
    forbidden: new Set(),
    breaker: new AccountBreaker(),
  };
}

/** The quota owner an account's requests count against: its GitHub login once known. */
export function ownerOf(account: AccountState): QuotaOwner {
  return account.login ? { provider: account.provider, id: account.login } : provisionalOwner(account.provider, account.key);
}

/** The key the owner's quota is kept under (see quota-store.ts). */
export function subjectOf(account: AccountState): string {
  return ownerKey(ownerOf(account));
}

/** Other accounts whose token belongs to the same login (they share one quota). */
export function sharesQuotaWith(account: AccountState, all: readonly AccountState[]): string[] {
  return quotaSharers(all).get(account) ?? [];
}

/** For every account, the other accounts of its provider and login, in one pass (a snapshot of 1,000 accounts once asked 1,000 × 1,000 times). */
export function quotaSharers(all: readonly AccountState[]): Map<AccountState, string[]> {
  const byLogin = new Map<string, AccountState[]>();
  for (const a of all) {
    if (!a.login) continue;
    const id = `${a.provider}\n${a.login}`;
    const group = byLogin.get(id);
    if (group) group.push(a);
    else byLogin.set(id, [a]);
  }
  const out = new Map<AccountState, string[]>();
  for (const a of all) {
    const group = a.login ? byLogin.get(`${a.provider}\n${a.login}`) : undefined;
    out.set(a, group && group.length > 1 ? group.filter((b) => b !== a).map((b) => b.key) : []);
  }
  return out;
}

/** GitHub logins held by more than one account, with those accounts' keys. */
export function duplicateLogins(all: readonly AccountState[]): Map<string, string[]> {
  const byLogin = new Map<string, string[]>();
  for (const a of all) if (a.login && a.provider === 'github') byLogin.set(a.login, [...(byLogin.get(a.login) ?? []), a.key]);
  return new Map([...byLogin].filter(([, keys]) => keys.length > 1));
}

/** Consecutive 5xx / network failures that open an account's circuit. */
export const BREAKER_THRESHOLD = 5;
/** How long an open circuit stays open before one probe request is let through. */
export const HALF_OPEN_AFTER_MS = 30_000;

export type CircuitState =
  | { kind: 'closed' }
  | { kind: 'open'; openedAt: number; until: number }
  | { kind: 'half-open'; probing: boolean };

export type BreakerTransition = 'opened' | 'recovered' | null;

/**
 * A per-account circuit breaker on the pool's clock. cockatiel's ConsecutiveBreaker decides when
 * to open; the state machine lives here because cockatiel's own policy reads Date.now(), and the
 * pool must run on a virtual clock in tests and the quota bench.
 */
export class AccountBreaker {
  private rule: ConsecutiveBreaker;
  state: CircuitState = { kind: 'closed' };

  constructor(
    private readonly threshold = BREAKER_THRESHOLD,
    private readonly halfOpenAfterMs = HALF_OPEN_AFTER_MS,
  ) {
    this.rule = new ConsecutiveBreaker(threshold);
  }

  /** Consecutive failures since the last success or reset (cockatiel's own count). */
  get failures(): number {
    return this.rule.state;
  }

  /** A count restored from saved state (the circuit itself starts closed). */
  restoreFailures(failures: number): void {
    this.rule.state = Math.max(0, Math.floor(failures));
  }

  /** The state as a view should show it: an open circuit past its time is half-open. */
  view(now: number): 'closed' | 'open' | 'half-open' {
    if (this.state.kind === 'open') return now >= this.state.until ? 'half-open' : 'open';
    return this.state.kind;
  }

  /** When an open circuit lets a probe through; null when not open. */
  openUntil(now: number): number | null {
    if (this.state.kind === 'open' && now < this.state.until) return this.state.until;
    return null;
  }

  /** May a request go out now? (half-open: one probe at a time). */
  available(now: number): boolean {
    if (this.state.kind === 'closed') return true;
    if (this.state.kind === 'open') return now >= this.state.until;
    return !this.state.probing;
  }

  /** A request is going out on this account. */
  begin(now: number): void {
    if (this.state.kind === 'open' && now >= this.state.until) this.state = { kind: 'half-open', probing: true };
    else if (this.state.kind === 'half-open') this.state = { kind: 'half-open', probing: true };
  }

  /** The request ended without a verdict on the account's health (e.g. a 429, a client abort). */
  neutral(): void {
    if (this.state.kind === 'half-open') this.state = { kind: 'half-open', probing: false };
  }

  success(): BreakerTransition {
    this.rule.success();
    const wasOpen = this.state.kind !== 'closed';
    this.state = { kind: 'closed' };
    return wasOpen ? 'recovered' : null;
  }

  failure(now: number): BreakerTransition {
    const trips = this.rule.failure();
    if (this.state.kind === 'half-open' || (this.state.kind === 'closed' && trips)) {
      this.state = { kind: 'open', openedAt: now, until: now + this.halfOpenAfterMs };
      return 'opened';
    }
    return null;
  }

  /** Manual reset; true when a circuit was not closed. */
  reset(): boolean {
    this.rule = new ConsecutiveBreaker(this.threshold);
    const wasOpen = this.state.kind !== 'closed';
    this.state = { kind: 'closed' };
    return wasOpen;
  }
}

/**
 * An account's health, in one vocabulary for choosing, refusing and views. Upstream's word (or
 * the user's) holds an account: for every model (disabled, retired, invalid, an open breaker, an
 * owner-wide cooldown or concurrency pause) or for one model (forbidden, a model cooldown, a
 * confirmed limit reached). The marks live on the account (above, written only by
 * health.ts), the blocks in the quota store (shared by the owner's accounts); this file reads them.
 */
export type Hold =
  | { kind: 'disabled' }
  /** The provider no longer serves (GitHub Models' 410). */
  | { kind: 'retired'; reason: string }
  /** Upstream said 401: unusable until the token is replaced. */
  | { kind: 'invalid'; reason: string }
  /** Upstream said 403 for this model. */
  | { kind: 'forbidden'; model: string }
  | { kind: 'breaker-open'; until: number }
  /** Its one probe is out. */
  | { kind: 'breaker-half-open' }
  /** A 429 in force: `limit.scope` is model or user (the whole owner). */
  | { kind: 'cooling'; until: number; limit: CooldownRecord }
  /** A concurrency 429: a short pause of the whole owner. */
  | { kind: 'paused'; until: number; limit: CooldownRecord }
  /** Our counts reached a window limit GitHub confirmed (memory-quota-store.ts, LimitBook): a known cooldown. */
  | { kind: 'spent'; until: number; window: SpentWindow };

/** Why an account cannot take a request for a model right now. */
export type Blocker = Hold;

/** The account as a whole: well, its login still being checked, or held for every model. */
export type AccountHealth = { kind: 'well' } | { kind: 'checking'; message: string | null } | Exclude<Hold, { kind: 'forbidden' | 'spent' }>;

/** A rate limit (a 429 in force, or a confirmed limit reached), as opposed to a fault or a mark. */
export const isRateLimit = (hold: Hold): boolean => hold.kind === 'cooling' || hold.kind === 'paused' || hold.kind === 'spent';

/** When a hold lifts by itself; null when it never does (or only on an event). */
export function blockerUntil(hold: Hold): number | null {
  switch (hold.kind) {
    case 'cooling':
    case 'paused':
    case 'spent':
    case 'breaker-open':
      return hold.until;
    default:
      return null;
  }
}

const holdOf = (record: CooldownRecord): Extract<Hold, { kind: 'cooling' | 'paused' }> =>
  record.scope === 'concurrency' ? { kind: 'paused', until: record.until, limit: record } : { kind: 'cooling', until: record.until, limit: record };

/** The rate-limit records in force among an (owner, model)'s blocks, latest first. */
export function activeCooldowns(blocks: QuotaBlocks): CooldownRecord[] {
  return [blocks.model, blocks.owner, blocks.pause].filter((r): r is CooldownRecord => r !== null).sort((a, b) => b.until - a.until);
}

/**
 * The hard reason this account cannot serve `model` now, or null. When several timed reasons
 * hold, the one that lasts longest is returned (the account is usable only after all lift).
 */
export function blockerOf(account: AccountState, quota: QuotaStore, model: string, now: number, retired: ReadonlyMap<string, Retirement>): Blocker | null {
  if (account.disabled) return { kind: 'disabled' };
  const retirement = retired.get(account.provider);
  if (retirement) return { kind: 'retired', reason: retirement.message };
  if (account.invalid) return { kind: 'invalid', reason: account.invalid.reason };
  if (account.forbidden.has(model)) return { kind: 'forbidden', model };
  const blocks = quota.blocks(ownerOf(account), model, now);
  const record = activeCooldowns(blocks)[0];
  const spent = blocks.spent;
  const cooldown: Hold | null =
    record && (!spent || record.until >= spent.until) ? holdOf(record) : spent ? { kind: 'spent', until: spent.until, window: spent } : null;
  const openUntil = account.breaker.openUntil(now);
  const circuit: Hold | null = account.breaker.available(now) ? null : openUntil !== null ? { kind: 'breaker-open', until: openUntil } : { kind: 'breaker-half-open' };
  if (cooldown && circuit) {
    const circuitUntil = blockerUntil(circuit);
    return circuitUntil !== null && circuitUntil > blockerUntil(cooldown)! ? circuit : cooldown;
  }
  return cooldown ?? circuit;
}

/** The account's health as views show it (the snapshot's status is derived from it). */
export function accountHealth(account: AccountState, quota: QuotaStore, now: number, retired: ReadonlyMap<string, Retirement>): AccountHealth {
  if (account.disabled) return { kind: 'disabled' };
  const retirement = retired.get(account.provider);
  if (retirement) return { kind: 'retired', reason: retirement.message };
  if (account.invalid) return { kind: 'invalid', reason: account.invalid.reason };
  const circuit = account.breaker.view(now);
  if (circuit === 'open') return { kind: 'breaker-open', until: account.breaker.openUntil(now) ?? now };
  if (account.resolution.kind !== 'resolved') {
    return { kind: 'checking', message: account.resolution.kind === 'unreachable' ? account.resolution.message : null };
  }
  const blocks = quota.blocks(ownerOf(account), null, now);
  const ownerWide = laterOf(blocks.owner, blocks.pause);
  if (ownerWide) return holdOf(ownerWide);
  if (circuit === 'half-open') return { kind: 'breaker-half-open' };
  return { kind: 'well' };
}

import { maskToken } from '../mask';

export { maskToken };
import { createHash } from 'node:crypto';
import type { Plan } from '../../../shared/domain';
import type { ProviderCredentials, ProviderId } from '../providers/types';
import { AccountBreaker } from './breaker';
import { ownerKey, provisionalOwner, type QuotaOwner } from './quota-store';
import type { AccountInput } from './types';

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

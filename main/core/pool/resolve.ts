import { scrubTokens } from '../mask';
import { UpstreamHttpError } from '../upstream/types';
import { fingerprintOf, newAccount, ownerOf, type AccountState } from './account';
import { identifyOwner, reportSharedOwners } from './discovered-owner';
import { type PoolParts } from './parts';
import { markInvalid, restoreMarks } from './health';
import { isProvisional } from './quota-store';
import type { AccountInput } from './types';

/** Restored marks (invalid, forbidden, failures) for this key, if the token is the same one. */
function applySavedMarks(ctx: Pick<PoolParts, 'book'>, account: AccountState): void {
  const saved = ctx.book.savedMarks.get(account.key);
  if (saved && saved.fingerprint === account.fingerprint) restoreMarks(account, saved);
}

/** GET /user for one account: its login joins the quota ledger; 401 marks it invalid. */
async function resolveLogin(ctx: Pick<PoolParts, 'book' | 'clock' | 'deps' | 'logger' | 'quota' | 'signals' | 'traffic' | 'waker'>, account: AccountState): Promise<void> {
  if (account.provider !== 'github') {
    // Its owner came with the account (providers/owners.ts), unless the provider can name it (OpenRouter's GET /key).
    await identifyOwner(ctx, account);
    account.resolution = { kind: 'resolved' };
    return;
  }
  try {
    const user = await ctx.deps.upstream.getUser(account.token);
    if (!ctx.book.accounts.includes(account)) return;
    const before = ownerOf(account);
    if (account.login !== user.login) ctx.book.ownerEpoch++;
    account.login = user.login;
    account.avatarUrl = user.avatarUrl;
    account.resolution = { kind: 'resolved' };
    ctx.book.loginCache.set(account.fingerprint, { login: user.login, avatarUrl: user.avatarUrl });
    // Only a provisional (per-key) subject merges into the login's; a login's own stays its own.
    if (isProvisional(before)) await ctx.quota.merge(before, ownerOf(account), ctx.clock.now());
  } catch (err) {
    if (!ctx.book.accounts.includes(account)) return;
    if (err instanceof UpstreamHttpError && err.status === 401) {
      account.resolution = { kind: 'resolved' };
      markInvalid(ctx, account, err.info.message);
      return;
    }
    const message = scrubTokens(err instanceof Error ? err.message : String(err));
    account.resolution = { kind: 'unreachable', message };
    ctx.logger.warn({ tag: 'login', account: account.key, cachedLogin: account.login }, `Could not check the login of ${account.key}: ${message}`);
  }
}

/**
 * Replaces the account list (order = preference). Accounts whose key and token are unchanged
 * keep their state; new or replaced tokens start fresh (a replaced token clears its invalid
 * mark) and have their login resolved; removed accounts vanish.
 */
export async function setAccounts(ctx: Pick<PoolParts, 'book' | 'clock' | 'deps' | 'logger' | 'quota' | 'signals' | 'traffic' | 'waker'>, inputs: readonly AccountInput[]): Promise<void> {
  const before = new Map(ctx.book.accounts.map((a) => [a.key, a]));
  const next: AccountState[] = [];
  const toResolve: AccountState[] = [];
  const seen = new Set<string>();
  for (const input of inputs) {
    if (seen.has(input.key)) continue;
    seen.add(input.key);
    const old = before.get(input.key);
    if (old && old.token === input.token) {
      old.plan = input.plan ?? 'free';
      old.disabled = input.disabled ?? false;
      next.push(old);
      if (old.resolution.kind !== 'resolved' && !old.invalid) toResolve.push(old);
      continue;
    }
    const account = newAccount(input, ctx.book.loginCache.get(fingerprintOf(input.token)) ?? null);
    applySavedMarks(ctx, account);
    next.push(account);
    if (!account.invalid) toResolve.push(account);
    else account.resolution = { kind: 'resolved' };
  }
  ctx.book.accounts = next;
  if (!next.some((a) => a.key === ctx.book.current)) ctx.book.current = null;
  ctx.book.savedMarks.clear();
  ctx.signals.notify();
  ctx.waker.wakeAll();
  await Promise.all(toResolve.map((account) => resolveLogin(ctx, account)));
  reportSharedOwners(ctx);
  ctx.signals.notify();
  ctx.waker.wakeAll();
}

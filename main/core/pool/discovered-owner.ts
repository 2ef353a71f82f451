import { providerFor } from '../providers/index';
import { scrubTokens } from '../mask';
import { isStandInOwner, ownerOf, type AccountState } from './account';
import type { PoolParts } from './parts';

/**
 * Owners learned from the providers themselves (providers.md §0.4): the organisation a Groq or
 * OpenAI 429 names (`in organization \`org_…\``), the account OpenRouter's `GET {base}/key` names.
 * Until then an account's owner is what it declared (`quota_group`, Cloudflare's account, Azure's
 * endpoint) or a stand-in made from its key. Once learned, the account counts into the owner's
 * quota: two keys of one owner are ONE quota, and the later one is a spare, not capacity.
 */

type Ctx = Pick<PoolParts, 'book' | 'clock' | 'deps' | 'logger' | 'quota' | 'signals' | 'waker'>;

export { isStandInOwner };

/**
 * The account's owner is `ownerId` from now on; what it spent under a stand-in owner moves
 * there. Remembered by key fingerprint (the ledger keeps it), so a restart knows it at once.
 * Returns true when the owner changed.
 */
export async function adoptOwner(ctx: Ctx, account: AccountState, ownerId: string): Promise<boolean> {
  if (account.provider === 'github' || !ownerId || account.login === ownerId) return false;
  const before = ownerOf(account);
  account.login = ownerId;
  ctx.book.ownerEpoch++;
  ctx.book.loginCache.set(account.fingerprint, { login: ownerId, avatarUrl: null });
  if (isStandInOwner(before.id)) await ctx.quota.merge(before, ownerOf(account), ctx.clock.now());
  ctx.logger.info({ tag: 'owner', account: account.key, provider: account.provider, owner: ownerId }, `${providerFor(account.provider).name} names the owner of ${account.key}: ${ownerId}`);
  reportSharedOwners(ctx);
  ctx.signals.notify();
  ctx.waker.wakeAll();
  return true;
}

/** Asks the provider who owns the key, where it can say (OpenRouter's GET /key); keeps what is known otherwise. */
export async function identifyOwner(ctx: Ctx, account: AccountState): Promise<void> {
  const identify = ctx.deps.upstream.identify;
  if (account.provider === 'github' || !account.creds || !identify || !providerFor(account.provider).identityRequest) return;
  try {
    const identity = await identify({ provider: account.provider, creds: account.creds });
    if (identity && ctx.book.accounts.includes(account)) await adoptOwner(ctx, account, identity.ownerId);
  } catch (err) {
    ctx.logger.warn({ tag: 'owner', account: account.key, provider: account.provider }, `Could not ask ${providerFor(account.provider).name} who owns ${account.key}: ${scrubTokens(err instanceof Error ? err.message : String(err))}`);
  }
}

/** Accounts of one provider and one known owner, in preference order (stand-in owners are one key each). */
export function sharedOwners(all: readonly AccountState[]): Array<{ provider: string; owner: string; keys: string[] }> {
  const groups = new Map<string, { provider: string; owner: string; keys: string[] }>();
  for (const a of all) {
    if (!a.login || isStandInOwner(a.login)) continue;
    const id = `${a.provider}\u0000${a.login}`;
    const group = groups.get(id) ?? { provider: a.provider, owner: a.login, keys: [] };
    group.keys.push(a.key);
    groups.set(id, group);
  }
  return [...groups.values()].filter((g) => g.keys.length > 1);
}

/**
 * The account that holds the capacity of this account's owner when this one is a spare: the
 * first account in preference order of the same provider and owner. Null: it is capacity.
 */
export function spareOf(account: AccountState, all: readonly AccountState[]): string | null {
  if (!account.login || isStandInOwner(account.login)) return null;
  const first = all.find((a) => a.provider === account.provider && a.login === account.login);
  return first && first !== account ? first.key : null;
}

/** Says once per set of keys that they share one owner's quota (an event and a log line). */
export function reportSharedOwners(ctx: Pick<PoolParts, 'book' | 'logger' | 'signals'>): void {
  for (const { provider, owner, keys } of sharedOwners(ctx.book.accounts)) {
    const id = `${provider}|${owner}|${[...keys].sort().join(',')}`;
    if (ctx.book.duplicatesReported.has(id)) continue;
    ctx.book.duplicatesReported.add(id);
    if (provider === 'github') {
      ctx.logger.warn({ tag: 'duplicate-login', login: owner, accounts: keys }, `Accounts ${keys.join(' and ')} belong to the same GitHub user ${owner}: they share one quota`);
    } else {
      const name = providerFor(provider as AccountState['provider']).name;
      ctx.logger.warn(
        { tag: 'duplicate-login', provider, login: owner, accounts: keys },
        `Accounts ${keys.join(' and ')} belong to the same ${name} owner ${owner}: they share one quota, so ${keys.slice(1).join(' and ')} ${keys.length > 2 ? 'add' : 'adds'} no capacity and ${keys.length > 2 ? 'are' : 'is'} kept as a spare`,
      );
    }
    ctx.signals.emit({ kind: 'duplicate-login', login: owner, accounts: keys, ...(provider === 'github' ? {} : { provider }) });
  }
}

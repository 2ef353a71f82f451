import { ownerOf, resolveOwners } from '../providers/owners';
import type { ProviderCredentials, ProviderId } from '../providers/types';
import type { ConfigAccount, SwitchyardConfig } from './config-file';
import type { EnvAccount } from './env';
import { allProviders } from '../providers/index';
import { baseUrlFromEnv, readProviderEnv } from './provider-env';

/**
 * Accounts of providers other than GitHub Models, from the environment (`GROQ_API_KEY`, … per
 * DESIGN.md) and the config file, as the account book holds fixed accounts: the key, what the
 * provider needs beside it, and the quota owner (keys of one owner spend one quota).
 * GitHub's own variables are read by config/env.ts, as before.
 */
export function otherProviderAccounts(env: Record<string, string | undefined>, config: SwitchyardConfig | null): { accounts: EnvAccount[]; warnings: string[] } {
  const fromEnv = readProviderEnv(env);
  const accounts: EnvAccount[] = [];
  const seen = new Set<string>();
  const add = (account: EnvAccount) => {
    if (seen.has(account.key)) return;
    seen.add(account.key);
    accounts.push(account);
  };
  const ids = new Set<string>();
  const all: ConfigAccount[] = [...fromEnv.accounts.filter((a) => a.provider !== 'github'), ...(config?.accounts ?? [])].filter((a) => !ids.has(a.id) && ids.add(a.id));
  // The same key twice counts once: the later one is refused, and the person is told (providers.md §0.4).
  const { refused } = resolveOwners(all.map((a) => ({ id: a.id, provider: a.provider, key: a.key, accountId: a.accountId, endpoint: a.endpoint, baseUrl: a.baseUrl })));
  const refusedIds = new Set(refused.map((r) => r.id));
  for (const account of all) if (!refusedIds.has(account.id)) add(fixedAccount(account));
  return { accounts, warnings: [...fromEnv.warnings, ...(config?.warnings ?? []), ...refused.map((r) => r.reason)] };
}

/** One provider account (environment or config file: a config account is an environment one with a quota group) as a fixed account of the book. */
export function fixedAccount(account: ConfigAccount): EnvAccount {
  const creds: ProviderCredentials = {
    key: account.key,
    baseUrl: account.baseUrl,
    ...(account.accountId ? { accountId: account.accountId } : {}),
    ...(account.endpoint ? { endpoint: account.endpoint } : {}),
    ...(account.apiBaseUrl ? { apiBaseUrl: account.apiBaseUrl } : {}),
  };
  const owner = ownerOf({ id: account.id, provider: account.provider, key: account.key, accountId: account.accountId, endpoint: account.endpoint, baseUrl: account.baseUrl, quotaGroup: account.quotaGroup });
  return { key: account.id, token: account.key, provider: account.provider as ProviderId, creds, owner: owner.id };
}

/** Each provider's base URL in effect: its base URL variable when set, else its default. */
export function baseUrlsFromEnv(env: Record<string, string | undefined>): Partial<Record<ProviderId, string>> {
  const ignored: string[] = [];
  return Object.fromEntries(allProviders().filter((p) => p.id !== 'azure' && p.id !== 'openai-compatible').map((p) => [p.id, baseUrlFromEnv(p, env, ignored)]));
}

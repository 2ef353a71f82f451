import { allProviders } from '../providers/index';
import { azureBaseUrl } from '../providers/azure';
import { GITHUB_DEFAULT_API_BASE_URL } from '../providers/github';
import type { ProviderDescriptor, ProviderId } from '../providers/types';

/** One account from the environment; its id is the key variable's name (`GROQ_API_KEY2`). */
export interface ProviderEnvAccount {
  id: string;
  provider: ProviderId;
  key: string;
  /** The base URL in effect: the provider's default, its base URL variable, or (Azure) the endpoint + /openai/v1. */
  baseUrl: string;
  accountId?: string;
  endpoint?: string;
  /** GitHub's REST base (GITHUB_API_BASE_URL) for the identity. */
  apiBaseUrl?: string;
}

export interface ProviderEnv {
  accounts: ProviderEnvAccount[];
  /** Problems worth a warning line, in plain words; never a key. */
  warnings: string[];
}

type Env = Record<string, string | undefined>;

/** What the same-suffix variable of a provider holds (DESIGN.md: CLOUDFLARE_ACCOUNT_ID, AZURE_OPENAI_ENDPOINT). */
export const EXTRA_CREDENTIAL: Partial<Record<ProviderId, 'accountId' | 'endpoint' | 'baseUrl'>> = {
  cloudflare: 'accountId',
  azure: 'endpoint',
  'openai-compatible': 'baseUrl',
};

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** An http(s) URL without trailing slashes, or null. */
export function cleanUrl(raw: string): string | null {
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return raw.replace(/\/+$/, '');
  } catch {
    return null;
  }
}

/** The provider's base URL: its base URL variable when set and valid, else its default. */
export function baseUrlFromEnv(provider: ProviderDescriptor, env: Env, warnings: string[]): string {
  const name = provider.env.baseUrl;
  const raw = name ? env[name]?.trim() : undefined;
  if (!name || !raw) return provider.defaultBaseUrl;
  const url = cleanUrl(raw);
  if (url) return url;
  warnings.push(`${name}=${raw} is not an http(s) URL; using ${provider.defaultBaseUrl}.`);
  return provider.defaultBaseUrl;
}

function accountsOf(provider: ProviderDescriptor, env: Env, warnings: string[]): ProviderEnvAccount[] {
  const pattern = new RegExp(`^${escape(provider.env.key)}(\\d*)$`);
  const baseUrl = baseUrlFromEnv(provider, env, warnings);
  const apiBaseUrl = provider.id === 'github' ? (cleanUrl(env.GITHUB_API_BASE_URL?.trim() ?? '') ?? GITHUB_DEFAULT_API_BASE_URL) : undefined;
  const found = Object.entries(env).flatMap(([name, value]) => {
    const match = pattern.exec(name);
    const key = value?.trim();
    return match && key ? [{ name, key, suffix: match[1]!, n: match[1] === '' ? 1 : Number(match[1]) }] : [];
  });
  found.sort((a, b) => a.n - b.n || a.name.localeCompare(b.name));

  return found.flatMap(({ name, key, suffix }): ProviderEnvAccount[] => {
    const account: ProviderEnvAccount = { id: name, provider: provider.id, key, baseUrl, ...(apiBaseUrl ? { apiBaseUrl } : {}) };
    const field = EXTRA_CREDENTIAL[provider.id];
    if (!field || !provider.env.extra) return [account];
    const extraName = `${provider.env.extra}${suffix}`;
    const extra = env[extraName]?.trim();
    if (!extra) {
      warnings.push(`${name} is set but ${extraName} is not; ${provider.name} needs both, so ${name} is left out.`);
      return [];
    }
    if (field === 'accountId') return [{ ...account, accountId: extra }];
    const url = cleanUrl(extra);
    if (!url) {
      warnings.push(`${extraName}=${extra} is not an http(s) URL; ${name} is left out.`);
      return [];
    }
    return field === 'endpoint' ? [{ ...account, endpoint: url, baseUrl: azureBaseUrl(url) }] : [{ ...account, baseUrl: url }];
  });
}

/**
 * Accounts of every provider from the environment (DESIGN.md, "Accounts from the environment"):
 * `PREFIX`, `PREFIX2`, `PREFIX3`, … per provider, the same-suffix extra variable where one is
 * needed, and the provider's base URL variable. In provider order, then by number.
 */
export function readProviderEnv(env: Env): ProviderEnv {
  const warnings: string[] = [];
  const accounts = allProviders().flatMap((provider) => accountsOf(provider, env, warnings));
  return { accounts, warnings };
}

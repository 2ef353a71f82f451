import type { AccountListing, AddAccountInput, AddAccountResult, AccountPatch } from '../../../shared/api';
import type { AccountSettings, Settings } from '../../../shared/settings';
import type { EnvAccount } from '../config/env';
import { azureBaseUrl } from '../providers/azure';
import { isProviderId, providerFor } from '../providers/index';
import { ownerOf } from '../providers/owners';
import type { ProviderId } from '../providers/types';
import type { ProviderUpstream } from '../upstream/provider-upstream';
import { checkAccount, type CheckAccountResult } from './check-account';
import { ProxyError } from '../errors';
import type { AccountInput } from '../pool/types';
import type { SecretStore } from '../state/types';
import { UpstreamHttpError, type UpstreamClient } from '../upstream/types';
import { maskToken } from '../mask';

export interface AccountBookDeps {
  upstream: UpstreamClient;
  secrets: SecretStore;
  settings: () => Settings;
  /**
   * Read-modify-write of settings, serialized with every other settings change and durable when
   * it resolves: `change` gets the latest saved settings, so concurrent changes never undo each other.
   */
  changeSettings: (change: (current: Settings) => Settings) => Promise<void>;
  /** Accounts fixed by the environment (or the simulator's demo users): never written to the secret store. */
  fixed: EnvAccount[];
  /** Checks a pasted key of another provider than GitHub Models (its models list, its identity). */
  providers?: Pick<ProviderUpstream, 'listModels' | 'identify'>;
  /** Base URLs in effect per provider (their base URL variables). */
  baseUrls?: Partial<Record<ProviderId, string>>;
}

/**
 * Which accounts exist, their tokens and their metadata. Tokens from the environment stay there;
 * tokens added by the user go to the secret store; plan/disabled/order live in settings.
 */
export class AccountBook {
  private stored: Record<string, string> = {};

  constructor(private readonly deps: AccountBookDeps) {}

  async load(): Promise<void> {
    this.stored = await this.deps.secrets.load();
  }

  /** Accounts in order of preference, for the pool. */
  list(): AccountInput[] {
    const tokens = new Map<string, string>();
    const fixed = new Map(this.deps.fixed.map((a) => [a.key, a]));
    for (const { key, token } of this.deps.fixed) tokens.set(key, token);
    for (const [key, token] of Object.entries(this.stored)) if (!tokens.has(key)) tokens.set(key, token);
    const meta = this.deps.settings().accounts;
    const ordered = [...meta.map((m) => m.key).filter((k) => tokens.has(k)), ...[...tokens.keys()].filter((k) => !meta.some((m) => m.key === k))];
    return ordered.map((key) => {
      const m = meta.find((x) => x.key === key);
      const token = tokens.get(key) as string;
      return { key, token, plan: m?.plan ?? 'free', disabled: m?.disabled ?? false, ...providerFields(fixed.get(key), m, token) };
    });
  }

  /** Every account with where it comes from, for Settings. */
  listings(): AccountListing[] {
    return this.list().map(({ key, plan, disabled }) => ({ key, plan, disabled, source: this.isFixed(key) ? 'environment' : 'added' }));
  }

  count(): number {
    return this.list().length;
  }

  /** Cheap enough for the request path. */
  isEmpty(): boolean {
    return this.deps.fixed.length === 0 && Object.keys(this.stored).length === 0;
  }

  isFixed(key: string): boolean {
    return this.deps.fixed.some((a) => a.key === key);
  }

  /** Checks the token with GitHub (`/user`, then the models catalog) before keeping it. */
  async add(input: AddAccountInput, knownLogins: Map<string, string>): Promise<AddAccountResult> {
    const token = input.token.trim();
    if (!/^[A-Za-z0-9_\-.]{10,400}$/.test(token)) {
      return { ok: false, code: 'bad_input', message: 'That does not look like a GitHub token (expected something like ghp_…, github_pat_… or gho_…, with no spaces).' };
    }
    const existing = this.list();
    const same = existing.find((a) => a.token === token);
    if (same) return { ok: false, code: 'duplicate_token', message: `This token is already added as ${same.key}.` };
    if (input.key && existing.some((a) => a.key === input.key)) {
      return { ok: false, code: 'bad_input', message: `An account named ${input.key} already exists; choose another name.` };
    }
    if (input.provider && input.provider !== 'github') return this.addOther({ ...input, provider: input.provider, token }, knownLogins);
    let login: string;
    try {
      login = (await this.deps.upstream.getUser(token)).login;
    } catch (error) {
      if (error instanceof UpstreamHttpError && (error.status === 401 || error.status === 403)) {
        return { ok: false, code: 'invalid_token', message: `GitHub refused this token (${error.info.message}). Create a new one with the "models: read" permission.` };
      }
      return { ok: false, code: 'network', message: `Could not reach GitHub to check the token: ${(error as Error).message}` };
    }
    const owner = [...knownLogins.entries()].find(([, l]) => l.toLowerCase() === login.toLowerCase());
    if (owner) {
      return {
        ok: false,
        code: 'duplicate_login',
        message: `This token belongs to @${login}, who is already added as ${owner[0]}. GitHub counts limits per user, so a second token of the same user adds no quota. Add a token of a different GitHub account.`,
      };
    }
    try {
      await this.deps.upstream.listCatalog(token);
    } catch (error) {
      if (error instanceof UpstreamHttpError) {
        return { ok: false, code: 'no_models_access', message: `@${login}'s token cannot use GitHub Models (${error.info.message}). Give it the "models: read" permission.` };
      }
      return { ok: false, code: 'network', message: `Could not reach GitHub Models to check the token: ${(error as Error).message}` };
    }
    const key = input.key ?? this.nextKey();
    this.stored = { ...this.stored, [key]: token };
    await this.deps.secrets.save(this.stored);
    const meta: AccountSettings = { key, plan: input.plan ?? 'free', disabled: false };
    await this.deps.changeSettings((current) => ({ ...current, accounts: [...this.withAllMeta(current).filter((a) => a.key !== key), meta] }));
    return { ok: true, key, login, masked: maskToken(token) };
  }

  async remove(key: string): Promise<void> {
    this.require(key);
    if (this.isFixed(key)) {
      throw new ProxyError(400, 'invalid_request_error', `${key} comes from the environment; remove it there and restart (or disable it here).`, { code: 'account_from_env' });
    }
    const { [key]: _removed, ...rest } = this.stored;
    this.stored = rest;
    await this.deps.secrets.save(this.stored);
    await this.deps.changeSettings((current) => ({ ...current, accounts: current.accounts.filter((a) => a.key !== key) }));
  }

  async update(key: string, patch: AccountPatch): Promise<void> {
    this.require(key);
    await this.deps.changeSettings((current) => ({ ...current, accounts: this.withAllMeta(current).map((a) => (a.key === key ? { ...a, ...patch } : a)) }));
  }

  async reorder(keys: string[]): Promise<void> {
    const current = this.list().map((a) => a.key);
    if (keys.length !== current.length || new Set(keys).size !== keys.length || !keys.every((k) => current.includes(k))) {
      throw new ProxyError(400, 'invalid_request_error', `Give every account key exactly once: ${current.join(', ')}.`, { code: 'bad_order', param: 'keys' });
    }
    await this.deps.changeSettings((current) => {
      const meta = this.withAllMeta(current);
      return { ...current, accounts: keys.map((k) => meta.find((m) => m.key === k) as AccountSettings) };
    });
  }

  private withAllMeta(settings: Settings): AccountSettings[] {
    return this.list().map((a) => settings.accounts.find((m) => m.key === a.key) ?? { key: a.key, plan: a.plan, disabled: a.disabled });
  }

  private require(key: string): void {
    if (!this.list().some((a) => a.key === key)) {
      throw new ProxyError(404, 'not_found_error', `There is no account ${key}. Accounts: ${this.list().map((a) => a.key).join(', ') || 'none'}.`, { code: 'unknown_account' });
    }
  }

  /** A key of another provider: checked with its models list (and identity), then kept with what it needs. */
  private async addOther(input: AddAccountInput & { provider: ProviderId; token: string }, knownLogins: Map<string, string>): Promise<AddAccountResult> {
    const descriptor = providerFor(input.provider);
    if (!this.deps.providers) return { ok: false, code: 'bad_input', message: `${descriptor.name} accounts cannot be added here.` };
    const checked = await checkAccount(input, this.deps.providers, { baseUrls: this.deps.baseUrls });
    if (!checked.ok) return { ok: false, code: 'invalid_token', message: checked.message };
    const key = input.key ?? this.nextKey(descriptor.env.key);
    const note = this.spareNote(input.provider, checked.owner, knownLogins, key);
    this.stored = { ...this.stored, [key]: input.token };
    await this.deps.secrets.save(this.stored);
    const meta: AccountSettings = {
      key,
      plan: input.plan ?? 'free',
      disabled: false,
      provider: input.provider,
      ...(input.baseUrl ? { baseUrl: input.baseUrl } : this.deps.baseUrls?.[input.provider] ? { baseUrl: this.deps.baseUrls[input.provider] } : {}),
      ...(input.accountId ? { accountId: input.accountId } : {}),
      ...(input.endpoint ? { endpoint: input.endpoint } : {}),
      ...(input.quotaGroup ? { quotaGroup: input.quotaGroup } : {}),
    };
    await this.deps.changeSettings((current) => ({ ...current, accounts: [...this.withAllMeta(current).filter((a) => a.key !== key), meta] }));
    return { ok: true, key, login: checked.owner?.label ?? descriptor.name, masked: maskToken(input.token), ...(note ? { note } : {}) };
  }

  /** When the provider (or the person) names an owner already present: one quota, so the new key is a spare. */
  private spareNote(provider: ProviderId, owner: CheckAccountResult['owner'], knownLogins: Map<string, string>, key: string): string | null {
    if (!owner) return null;
    const id = owner.via === 'quota_group' ? `group:${owner.id}` : owner.id;
    const providers = new Map(this.list().map((a) => [a.key, a.provider ?? 'github']));
    const first = [...knownLogins].find(([k, login]) => login === id && providers.get(k) === provider)?.[0];
    if (!first) return null;
    return `${key} belongs to ${owner.label}, like ${first}: ${providerFor(provider).name} counts one quota for both, so ${key} adds no capacity and is kept as a spare.`;
  }

  private nextKey(prefix = 'GITHUB_TOKEN'): string {
    const taken = new Set(this.list().map((a) => a.key));
    if (!taken.has(prefix)) return prefix;
    for (let n = 2; ; n++) if (!taken.has(`${prefix}${n}`)) return `${prefix}${n}`;
  }
}

/**
 * Which provider an account is for, what it needs beside its key, and its quota owner: from the
 * environment or config file for fixed accounts, from its saved settings for added ones (GitHub
 * Models when neither says).
 */
function providerFields(fixed: EnvAccount | undefined, meta: AccountSettings | undefined, token: string): Pick<AccountInput, 'provider' | 'creds' | 'owner'> {
  if (fixed?.provider && fixed.provider !== 'github') return { provider: fixed.provider, creds: fixed.creds, owner: fixed.owner };
  const provider = meta?.provider;
  if (fixed || !provider || provider === 'github' || !meta) return {};
  const descriptor = providerFor(provider);
  const baseUrl = meta.baseUrl ?? (provider === 'azure' && meta.endpoint ? azureBaseUrl(meta.endpoint) : descriptor.defaultBaseUrl);
  const creds = { key: token, baseUrl, ...(meta.accountId ? { accountId: meta.accountId } : {}), ...(meta.endpoint ? { endpoint: meta.endpoint } : {}) };
  const owner = ownerOf({ id: meta.key, provider, key: token, accountId: meta.accountId, endpoint: meta.endpoint, baseUrl, quotaGroup: meta.quotaGroup });
  return { provider, creds, owner: owner.id };
}

/**
 * The listing with what the pool knows about owners: an account whose owner already has an
 * earlier account (a discovered Groq organisation, an OpenRouter account, a declared quota
 * group, the same GitHub user) is a spare, and says so.
 */
export function withOwnerNotes(listings: AccountListing[], accounts: ReadonlyArray<{ key: string; provider: string; login: string | null; sharesQuotaWith: string[] }>): AccountListing[] {
  const order = accounts.map((a) => a.key);
  return listings.map((listing) => {
    const view = accounts.find((a) => a.key === listing.key);
    const first = view?.sharesQuotaWith.filter((k) => order.indexOf(k) < order.indexOf(listing.key)).sort((a, b) => order.indexOf(a) - order.indexOf(b))[0];
    if (!view || !first) return listing;
    const owner = view.provider === 'github' ? `GitHub user @${view.login}` : `${isProviderId(view.provider) ? providerFor(view.provider).name : view.provider} owner ${view.login}`;
    return { ...listing, spareOf: first, note: `Shares one quota with ${first} (${owner}): a spare, it adds no capacity.` };
  });
}

import type { AccountListing, AddAccountInput, AddAccountResult, AccountPatch } from '../../../shared/api';
import type { AccountSettings, Settings } from '../../../shared/settings';
import type { EnvAccount } from '../config/env';
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
    for (const { key, token } of this.deps.fixed) tokens.set(key, token);
    for (const [key, token] of Object.entries(this.stored)) if (!tokens.has(key)) tokens.set(key, token);
    const meta = this.deps.settings().accounts;
    const ordered = [...meta.map((m) => m.key).filter((k) => tokens.has(k)), ...[...tokens.keys()].filter((k) => !meta.some((m) => m.key === k))];
    return ordered.map((key) => {
      const m = meta.find((x) => x.key === key);
      return { key, token: tokens.get(key) as string, plan: m?.plan ?? 'free', disabled: m?.disabled ?? false };
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

  private nextKey(): string {
    const taken = new Set(this.list().map((a) => a.key));
    if (!taken.has('GITHUB_TOKEN')) return 'GITHUB_TOKEN';
    for (let n = 2; ; n++) if (!taken.has(`GITHUB_TOKEN${n}`)) return `GITHUB_TOKEN${n}`;
  }
}

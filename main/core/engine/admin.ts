import { randomBytes } from 'node:crypto';
import type { AccountListing, AccountPatch, AddAccountInput, AddAccountResult, EventQuery, ResetTarget } from '../../../shared/api';
import type { EngineEvent } from '../../../shared/events';
import type { Settings, SettingsPatch } from '../../../shared/settings';
import type { GhTokenReader } from '../engine-types';
import { withOwnerNotes } from '../runtime/account-book';
import type { EngineParts } from './boot';
import type { SettingsCell } from './settings-cell';

export const DRAIN_MS = 10_000;

/**
 * The admin API of a started engine (IPC from the window, HTTP `/admin`, the CLI): settings,
 * accounts, resets, the proxy's own switch. Every part it uses exists; nothing here is nullable.
 */
export class EngineAdmin {
  /** false while the user has stopped the proxy: /v1 answers 503, admin and health stay up. */
  running = true;

  constructor(
    private readonly parts: EngineParts,
    private readonly settings: SettingsCell,
    private readonly changed: () => void,
    private readonly readGhToken: GhTokenReader | undefined,
  ) {}

  getEvents(query: EventQuery = {}): EngineEvent[] {
    return this.parts.events.list(query);
  }

  /**
   * The saved settings, as the Settings form edits them. The environment and command line may
   * override some for this run (PORT, HOST, throttling, …); the snapshot shows what is in effect.
   */
  getSettings(): Settings {
    return this.settings.stored;
  }

  async updateSettings(patch: SettingsPatch): Promise<Settings> {
    const before = this.settings.effective;
    await this.settings.patch(patch);
    const after = this.settings.effective;
    if (before.host !== after.host || before.port !== after.port) {
      await this.parts.listener.relisten({ host: after.host, port: after.port }, DRAIN_MS);
    }
    this.changed();
    return this.settings.stored;
  }

  async addAccount(input: AddAccountInput): Promise<AddAccountResult> {
    const { book, pool, accounts, emit } = this.parts;
    const logins = new Map(pool.snapshot().accounts.filter((a) => a.login).map((a) => [a.key, a.login as string]));
    const result = await book.add(input, logins);
    if (result.ok) {
      await accounts.sync();
      emit({ kind: 'account-added', account: result.key, login: result.login });
    }
    return result;
  }

  async importFromGh(): Promise<AddAccountResult> {
    if (!this.readGhToken) return { ok: false, code: 'gh_not_installed', message: 'Importing from the GitHub CLI is not available here: paste a token.' };
    const gh = await this.readGhToken();
    return gh.ok ? this.addAccount({ token: gh.token }) : gh;
  }

  listAccounts(): AccountListing[] {
    return withOwnerNotes(this.parts.book.listings(), this.parts.pool.snapshot().accounts);
  }

  async removeAccount(key: string): Promise<void> {
    await this.parts.book.remove(key);
    await this.parts.accounts.sync();
    this.parts.emit({ kind: 'account-removed', account: key });
  }

  async updateAccount(key: string, patch: AccountPatch): Promise<void> {
    await this.parts.book.update(key, patch);
    await this.parts.accounts.sync();
  }

  async reorderAccounts(keys: string[]): Promise<void> {
    await this.parts.book.reorder(keys);
    await this.parts.accounts.sync();
  }

  async reset(target: ResetTarget) {
    return { cleared: await this.parts.pool.reset(target) };
  }

  async startProxy(): Promise<void> {
    const { listener, emit } = this.parts;
    const wasServing = this.running && listener.status.status === 'running';
    this.running = true;
    const { host, port } = this.settings.effective;
    if (listener.status.status !== 'running') await listener.relisten({ host, port }, DRAIN_MS);
    const bound = listener.address;
    if (bound && !wasServing) emit({ kind: 'proxy-started', host: bound.host, port: bound.port });
    this.changed();
  }

  stopProxy(): void {
    if (!this.running) return;
    this.running = false;
    this.parts.emit({ kind: 'proxy-stopped', reason: 'stopped by the user' });
    this.changed();
  }

  async generateApiKey(): Promise<{ apiKey: string }> {
    const apiKey = `sk-switchyard-${randomBytes(24).toString('base64url')}`;
    await this.updateSettings({ apiKey });
    return { apiKey };
  }

  async clearApiKey(): Promise<void> {
    await this.updateSettings({ apiKey: null });
  }
}

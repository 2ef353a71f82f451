import type { ProviderCatalogs } from '../limits/provider-catalogs';
import type { Pool } from '../pool/types';
import type { AccountBook } from '../runtime/account-book';

/** Hands the book's accounts to the pool and the catalogs: the one place they meet. */
export class AccountSync {
  /** Read on every request (model plans): known once per change of the accounts, not scanned per request. */
  hasGithubAccount = false;

  constructor(
    private readonly book: AccountBook,
    private readonly pool: Pool,
    private readonly catalogs: ProviderCatalogs,
  ) {}

  sync(): Promise<void> {
    const accounts = this.book.list();
    this.hasGithubAccount = accounts.some((a) => (a.provider ?? 'github') === 'github' && !a.disabled);
    void this.catalogs.accountsChanged();
    return this.pool.setAccounts(accounts);
  }
}

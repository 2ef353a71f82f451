import type { Redis } from 'ioredis';

/**
 * Account marks every replica should know (the quota-store interface does not carry them): a
 * key retired, its token invalid, a model forbidden to it. Kept by account key name — never the
 * token — in one hash under the store's prefix, renewed on each write and dropped after
 * MARKS_KEEP_MS without one. While Redis is away marks live here and are written back on
 * reconnect (the later mark of an account and kind wins).
 */
export type MarkKind = 'retired' | 'invalid' | 'forbidden';

export interface AccountMark {
  account: string;
  kind: MarkKind;
  /** What it is about (the forbidden model, the upstream message), or null. */
  detail: string | null;
  at: number;
}

export const MARKS_KEEP_MS = 7 * 86_400_000;

const field = (account: string, kind: MarkKind) => `${account}\n${kind}`;

export class SharedMarks {
  private readonly pending = new Map<string, AccountMark | null>();

  constructor(
    private readonly client: Redis,
    private readonly key: string,
    private readonly online: () => boolean,
  ) {}

  async mark(mark: AccountMark): Promise<void> {
    await this.write(field(mark.account, mark.kind), mark);
  }

  async unmark(account: string, kind: MarkKind): Promise<void> {
    await this.write(field(account, kind), null);
  }

  /** Every replica's marks (this replica's own while Redis is away), by account then kind. */
  async list(): Promise<AccountMark[]> {
    const shared = this.online() ? await this.client.hgetall(this.key).catch(() => ({}) as Record<string, string>) : {};
    const byField = new Map(Object.entries(shared).map(([f, raw]) => [f, JSON.parse(raw) as AccountMark] as const));
    for (const [f, mark] of this.pending) {
      if (mark) byField.set(f, mark);
      else byField.delete(f);
    }
    return [...byField.values()].sort((a, b) => a.account.localeCompare(b.account) || a.kind.localeCompare(b.kind));
  }

  /** Redis is back: what was marked or unmarked alone goes to Redis. */
  async flush(): Promise<void> {
    for (const [f, mark] of [...this.pending]) {
      await this.send(f, mark);
      this.pending.delete(f);
    }
  }

  private async write(f: string, mark: AccountMark | null): Promise<void> {
    if (this.online()) {
      try {
        await this.send(f, mark);
        return;
      } catch {
        // served below; written back on reconnect
      }
    }
    this.pending.set(f, mark);
  }

  private async send(f: string, mark: AccountMark | null): Promise<void> {
    const tx = this.client.multi();
    if (mark) tx.hset(this.key, f, JSON.stringify(mark));
    else tx.hdel(this.key, f);
    await tx.pexpire(this.key, MARKS_KEEP_MS).exec();
  }
}

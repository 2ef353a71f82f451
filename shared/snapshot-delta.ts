import type { AccountView, Snapshot } from './snapshot';

/**
 * What changed since the snapshot a stream sent before (the `delta` message of the admin SSE
 * stream): the top-level fields whose value changed (generatedAt always), the accounts whose view
 * changed (whole, keyed by `key`), and the account order when accounts were added, removed or
 * moved. Applying it to that earlier snapshot gives the new one exactly; the stream sends a whole
 * `snapshot` instead whenever the receiver does not hold the base.
 */
export interface SnapshotDelta {
  /** generatedAt of the snapshot this applies to. */
  base: number;
  fields: Partial<Omit<Snapshot, 'accounts'>> & { generatedAt: number };
  accounts: AccountView[];
  /** Every account key in order, when the set or order changed; null when it did not. */
  order: string[] | null;
}

/** The snapshot `delta` makes of `base`; null when `base` is not the snapshot it applies to. */
export function applySnapshotDelta(base: Snapshot, delta: SnapshotDelta): Snapshot | null {
  if (base.generatedAt !== delta.base || (delta.fields.startId !== undefined && delta.fields.startId !== base.startId)) return null;
  const changed = new Map(delta.accounts.map((a) => [a.key, a]));
  let accounts: AccountView[];
  if (delta.order) {
    const old = new Map(base.accounts.map((a) => [a.key, a]));
    const rebuilt: AccountView[] = [];
    for (const key of delta.order) {
      const view = changed.get(key) ?? old.get(key);
      if (!view) return null;
      rebuilt.push(view);
    }
    accounts = rebuilt;
  } else {
    accounts = changed.size === 0 ? base.accounts : base.accounts.map((a) => changed.get(a.key) ?? a);
  }
  return { ...base, ...delta.fields, accounts };
}

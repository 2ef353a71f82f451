import { useEffect, useRef, useState } from 'react';
import type { AccountListing, AccountSource, SwitchyardApi } from '../../shared/api';
import { PLANS, type Plan } from '../../shared/domain';
import type { AccountView } from '../../shared/snapshot';
import { EmptyState, Outcome } from '../common/Notice';
import { ACCOUNT_STATUS_LABEL } from '../format/labels';
import { useAction } from '../hooks/use-action';

interface Props {
  api: SwitchyardApi;
  /** Every account, in order of preference, with where it comes from. */
  accounts: AccountListing[];
  views: AccountView[];
  onChanged(): void;
}

/** Accounts not added here: they are removed where they are set, and can be disabled here. */
const SOURCE_LABEL: Record<Exclude<AccountSource, 'added'>, { tag: string; remove: string }> = {
  environment: { tag: 'from environment', remove: 'Set by an environment variable: remove it there and restart. It can be disabled here.' },
  config: { tag: 'from config file', remove: 'Set in the configuration file: remove it there and restart. It can be disabled here.' },
};

/** Remove, disable, reorder accounts and set each one's plan. */
export function AccountsManager({ api, accounts, views, onChanged }: Props) {
  const action = useAction();
  const [confirming, setConfirming] = useState<string | null>(null);
  // A toggled box or chosen plan shows at once; the reloaded settings then replace it.
  const [pending, setPending] = useState<Record<string, Partial<AccountListing>>>({});
  // Keyboard users keep their place: after a move, focus returns to the moved row's button
  // (or its other move button once the row reaches an end).
  const listRef = useRef<HTMLOListElement>(null);
  const refocus = useRef<{ key: string; dir: 'up' | 'down' } | null>(null);
  useEffect(() => {
    // Only what the reloaded list already shows is dropped: a reload started before a toggle (say,
    // by the reorder just before it) must not flip the box back while the toggle is saved.
    setPending((p) => unreflected(p, accounts));
    const target = refocus.current;
    if (!target || !listRef.current) return;
    refocus.current = null;
    const row = [...listRef.current.querySelectorAll<HTMLElement>('[data-account]')].find((el) => el.dataset.account === target.key);
    const same = row?.querySelector<HTMLButtonElement>(`button[data-move="${target.dir}"]`);
    const other = row?.querySelector<HTMLButtonElement>(`button[data-move="${target.dir === 'up' ? 'down' : 'up'}"]`);
    (same && !same.disabled ? same : other)?.focus();
  }, [accounts]);
  const edit = (key: string, patch: Partial<AccountListing>) => setPending((p) => ({ ...p, [key]: { ...p[key], ...patch } }));

  const change = (work: () => Promise<void>, done: string, key?: string) =>
    void action
      .run(async () => {
        await work();
        return true;
      }, () => done)
      .then((ok) => {
        // A refused change shows the saved state again.
        if (!ok && key) setPending(({ [key]: _dropped, ...rest }) => rest);
        onChanged();
      });

  function move(index: number, by: -1 | 1) {
    const keys = accounts.map((a) => a.key);
    const [key] = keys.splice(index, 1);
    keys.splice(index + by, 0, key!);
    refocus.current = { key: key!, dir: by < 0 ? 'up' : 'down' };
    change(() => api.reorderAccounts(keys), `Moved ${key} ${by < 0 ? 'up' : 'down'}.`);
  }

  return (
    <section className="panel" aria-labelledby="accounts-settings-heading">
      <h2 id="accounts-settings-heading">Accounts</h2>
      <p className="hint">Accounts are tried in this order. Disabled accounts are kept but not used.</p>
      {accounts.length === 0 ? (
        <EmptyState>No accounts yet — add a provider key above.</EmptyState>
      ) : (
        <ol className="account-list" ref={listRef}>
          {accounts.map((saved, index) => {
            const account = { ...saved, ...pending[saved.key] };
            const view = views.find((v) => v.key === account.key);
            const planId = `plan-${account.key}`;
            const enabledId = `enabled-${account.key}`;
            return (
              <li key={account.key} className="account-row" data-account={account.key}>
                <div className="account-row-name">
                  <strong>{account.key}</strong>
                  {account.source !== 'added' ? <span className="badge badge-source">{SOURCE_LABEL[account.source].tag}</span> : null}
                  <span className="muted">
                    {view?.login ?? 'login not known yet'}
                    {view ? <> · <code>{view.masked}</code> · {ACCOUNT_STATUS_LABEL[view.status]}</> : null}
                  </span>
                </div>
                <div className="account-row-controls">
                  <label htmlFor={planId}>
                    Plan <span className="visually-hidden">for {account.key}</span>
                  </label>
                  <select
                    id={planId}
                    value={account.plan}
                    disabled={action.busy}
                    onChange={(e) => {
                      const plan = e.target.value as Plan;
                      edit(account.key, { plan });
                      change(() => api.updateAccount(account.key, { plan }), `${account.key} is now on the ${plan} plan.`, account.key);
                    }}
                  >
                    {PLANS.map((p) => (
                      <option key={p} value={p}>
                        {p}
                      </option>
                    ))}
                  </select>
                  <input
                    id={enabledId}
                    type="checkbox"
                    checked={!account.disabled}
                    disabled={action.busy}
                    onChange={(e) => {
                      const disabled = !e.target.checked;
                      edit(account.key, { disabled });
                      change(() => api.updateAccount(account.key, { disabled }), `${account.key} ${disabled ? 'disabled' : 'enabled'}.`, account.key);
                    }}
                  />
                  <label htmlFor={enabledId}>
                    Enabled <span className="visually-hidden">{account.key}</span>
                  </label>
                  <button type="button" data-move="up" disabled={action.busy || index === 0} onClick={() => move(index, -1)}>
                    Move up <span className="visually-hidden">{account.key}</span>
                  </button>
                  <button type="button" data-move="down" disabled={action.busy || index === accounts.length - 1} onClick={() => move(index, 1)}>
                    Move down <span className="visually-hidden">{account.key}</span>
                  </button>
                  {account.source !== 'added' ? (
                    <span className="hint">{SOURCE_LABEL[account.source].remove}</span>
                  ) : confirming === account.key ? (
                    <span className="confirm" role="group" aria-label={`Confirm removing ${account.key}`}>
                      <span>Remove {account.key}? Its token is deleted from this computer.</span>
                      <button
                        type="button"
                        className="danger"
                        disabled={action.busy}
                        onClick={() => {
                          setConfirming(null);
                          change(() => api.removeAccount(account.key), `Removed ${account.key}.`);
                        }}
                      >
                        Yes, remove <span className="visually-hidden">{account.key}</span>
                      </button>
                      <button type="button" onClick={() => setConfirming(null)}>
                        Cancel
                      </button>
                    </span>
                  ) : (
                    <button type="button" className="danger" disabled={action.busy} onClick={() => setConfirming(account.key)}>
                      Remove <span className="visually-hidden">{account.key}</span>
                    </button>
                  )}
                </div>
              </li>
            );
          })}
        </ol>
      )}
      <Outcome error={action.error} done={action.done} />
    </section>
  );
}

/** The optimistic edits the accounts as reloaded do not show yet. */
function unreflected(pending: Record<string, Partial<AccountListing>>, accounts: readonly AccountListing[]): Record<string, Partial<AccountListing>> {
  const kept: Record<string, Partial<AccountListing>> = {};
  for (const [key, patch] of Object.entries(pending)) {
    const now = accounts.find((a) => a.key === key);
    if (now && Object.entries(patch).some(([field, value]) => now[field as keyof AccountListing] !== value)) kept[key] = patch;
  }
  return kept;
}

import type { ReactNode } from 'react';
import type { ResetTarget } from '../../shared/api';
import type { AccountStatus, AccountView, ModelBlock } from '../../shared/snapshot';
import { Avatar } from '../common/Avatar';
import { Countdown } from '../common/Countdown';
import { ModelName } from '../common/ModelName';
import { ACCOUNT_STATUS_LABEL } from '../format/labels';
import { UsageBars } from './UsageBars';

interface Props {
  account: AccountView;
  now: number;
  onReset(target: ResetTarget): void;
  busy: boolean;
  /** Load the avatar from its URL; off in the offline demo, where nothing may leave the machine. */
  remoteAvatar?: boolean;
}

/**
 * The state the badge shows: the snapshot's, except that an account "ok" in general whose every
 * known model is cooling reads "Cooling down", not "Ready".
 */
export function badgeStatus(account: AccountView, now: number): AccountStatus {
  if (account.status !== 'ok') return account.status;
  const cooling = new Set(account.blocks.filter((b) => b.until === null || b.until > now).map((b) => b.model));
  if (cooling.size === 0) return 'ok';
  const known = new Set([...account.usage.map((u) => u.model), ...account.blocks.map((b) => b.model)]);
  return [...known].every((model) => cooling.has(model)) ? 'cooling' : 'ok';
}

/** One account: who it is, whether it can serve, what is blocked until when, and today's usage. */
export function AccountCard({ account, now, onReset, busy, remoteAvatar = true }: Props) {
  const headingId = `account-${account.key}`;
  const name = account.login ?? account.key;
  const cooling = account.blocks.filter((b) => b.reason === 'rate-limit');
  const forbidden = account.blocks.filter((b) => b.reason === 'forbidden');
  const badge = badgeStatus(account, now);
  return (
    <article className={`card account-card status-${account.status}`} aria-labelledby={headingId} data-account={account.key}>
      <header className="card-head">
        <Avatar url={remoteAvatar ? account.avatarUrl : null} name={name} />
        <div className="card-title">
          <h3 id={headingId}>{name}</h3>
          <p className="muted">
            {account.key} · <code>{account.masked}</code> · {account.plan} plan
          </p>
        </div>
        <div className="card-badges">
          <span className={`badge badge-${badge}`}>{ACCOUNT_STATUS_LABEL[badge]}</span>
          {account.isCurrent ? <span className="badge badge-current">Current</span> : null}
        </div>
      </header>

      {account.statusReason ? <p className={`status-reason status-reason-${account.status}`}>{account.statusReason}</p> : null}

      {account.sharesQuotaWith.length > 0 && account.provider === 'github' ? (
        <p className="notice notice-warn">
          Same GitHub user as {account.sharesQuotaWith.join(', ')}: they share one quota, so rotating between them gains nothing.
          Use a token of a different GitHub account.
        </p>
      ) : account.sharesQuotaWith.length > 0 ? (
        <p className="notice notice-warn">
          Same {account.provider} owner{account.login ? ` (${account.login})` : ''} as {account.sharesQuotaWith.join(', ')}: one quota, so the later key is a spare and adds no capacity.
        </p>
      ) : null}

      <p className="muted">
        Consecutive failures: <strong>{account.failures}</strong>
        {account.circuit !== 'closed' ? ` · circuit ${account.circuit}` : ''}
      </p>

      {account.userBlock ? (
        <div className="block-row">
          <span>
            All models paused ({account.userBlock.limitType}) — <Countdown until={account.userBlock.until} now={now} />
          </span>
        </div>
      ) : null}

      <BlockList
        title="Cooling down"
        label={`Models cooling down on ${account.key}`}
        account={account.key}
        blocks={cooling}
        onReset={onReset}
        busy={busy}
        detail={(b) => (
          <>
            {b.limitType ? <span className="muted">({b.limitType})</span> : null}{' '}
            {b.until !== null ? <Countdown until={b.until} now={now} /> : null}
          </>
        )}
      />

      <BlockList
        title="Not allowed"
        label={`Models ${account.key} may not use`}
        account={account.key}
        blocks={forbidden}
        onReset={onReset}
        busy={busy}
        detail={() => <span className="muted">GitHub refused this model for this account; it stays off until reset.</span>}
      />

      <h4>Today</h4>
      <UsageBars usage={account.usage} label={account.key} />

      <footer className="card-foot">
        <span className="muted">
          {account.totals.served} served · {account.totals.rateLimited} rate-limited · {account.totals.errors} errors
        </span>
        <button type="button" disabled={busy} onClick={() => onReset({ account: account.key })}>
          Reset account <span className="visually-hidden">{account.key}</span>
        </button>
      </footer>
    </article>
  );
}

interface BlockListProps {
  title: string;
  label: string;
  account: string;
  blocks: ModelBlock[];
  onReset(target: ResetTarget): void;
  busy: boolean;
  /** What follows the model's name in its row. */
  detail(block: ModelBlock): ReactNode;
}

/** A titled list of blocked models, each with its own Reset button; nothing when the list is empty. */
function BlockList({ title, label, account, blocks, onReset, busy, detail }: BlockListProps) {
  if (blocks.length === 0) return null;
  return (
    <>
      <h4>{title}</h4>
      <ul className="blocks" aria-label={label}>
        {blocks.map((b) => (
          <li key={b.model} className="block-row" data-model={b.model}>
            <span>
              <strong>
                <ModelName id={b.model} />
              </strong>{' '}
              {detail(b)}
            </span>
            <button type="button" disabled={busy} onClick={() => onReset({ account, model: b.model })}>
              Reset <span className="visually-hidden">{b.model} on {account}</span>
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}

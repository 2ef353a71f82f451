import { useMemo } from 'react';
import type { ResetTarget, SwitchyardApi } from '../../shared/api';
import type { EngineEvent } from '../../shared/events';
import type { Snapshot } from '../../shared/snapshot';
import { Countdown } from '../common/Countdown';
import { ModelName } from '../common/ModelName';
import { EmptyState, Outcome } from '../common/Notice';
import { useAction } from '../hooks/use-action';
import { useNow } from '../hooks/use-now';
import { AccountCard } from './AccountCard';
import { ClientSnippet } from './ClientSnippet';
import { ProxyPanel } from './ProxyPanel';
import { RoutesPanel } from './RoutesPanel';
import { Timeline } from './Timeline';
import { TrafficChart } from './TrafficChart';

interface Props {
  api: SwitchyardApi;
  snapshot: Snapshot;
  events: EngineEvent[];
}

export function Dashboard({ api, snapshot, events }: Props) {
  const now = useNow();
  const reset = useAction();
  // Stable between snapshots, so the memoized Timeline skips the once-a-second re-render.
  const keys = useMemo(() => snapshot.accounts.map((a) => a.key), [snapshot.accounts]);

  const onReset = (target: ResetTarget) =>
    void reset.run(
      () => api.reset(target),
      (r) => (r.cleared === 0 ? 'Nothing to reset: no blocks were active.' : `Cleared ${r.cleared} block${r.cleared === 1 ? '' : 's'}.`),
    );

  return (
    <div className="dashboard">
      {snapshot.warnings.length > 0 ? (
        <section className="panel warnings" aria-label="Warnings">
          {snapshot.warnings.map((w) => (
            <p key={w.code} className="notice notice-warn" role="alert" data-warning={w.code}>
              {w.message}
            </p>
          ))}
        </section>
      ) : null}
      <div className="columns">
        <ProxyPanel api={api} proxy={snapshot.proxy} traffic={snapshot.traffic} />
        <ClientSnippet proxy={snapshot.proxy} />
      </div>

      {snapshot.exhaustedModels.length > 0 ? (
        <section className="panel notice-error" aria-labelledby="exhausted-heading">
          <h2 id="exhausted-heading">Models no account can serve now</h2>
          <ul>
            {snapshot.exhaustedModels.map((m) => (
              <li key={m.model}>
                <strong>
                  <ModelName id={m.model} />
                </strong>
                : {m.until !== null ? <Countdown until={m.until} now={now} /> : 'until reset by hand'}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="accounts-heading">
        <div className="panel-head">
          <h2 id="accounts-heading">Accounts</h2>
          {snapshot.accounts.length > 0 ? (
            <button type="button" className="danger" disabled={reset.busy} onClick={() => onReset({})}>
              Reset all
            </button>
          ) : null}
        </div>
        <Outcome error={reset.error} done={reset.done} />
        {snapshot.accounts.length === 0 ? (
          <EmptyState>
            No accounts yet — <a href="#/settings">add a provider key</a> (Groq, Gemini, Cerebras, OpenRouter, …) in Settings.
          </EmptyState>
        ) : (
          <div className="cards">
            {snapshot.accounts.map((account) => (
              <AccountCard key={account.key} account={account} now={now} onReset={onReset} busy={reset.busy} remoteAvatar={!snapshot.simulate} />
            ))}
          </div>
        )}
      </section>

      <RoutesPanel routes={snapshot.routes} now={now} />
      <TrafficChart traffic={snapshot.traffic} accountKeys={keys} now={now} />
      <Timeline events={events} accountKeys={keys} startId={snapshot.startId} />
    </div>
  );
}

import { useEffect, useState } from 'react';
import type { SwitchyardApi } from '../shared/api';
import type { TransportChoice } from './api/pick-transport';
import { ConnectionNotice } from './common/ConnectionNotice';
import { Dashboard } from './dashboard/Dashboard';
import { useHashRoute } from './hooks/use-hash-route';
import { useLiveState } from './hooks/use-live-state';
import { SettingsPage } from './settings/SettingsPage';
import { LiveStore } from './state/live-store';

export function App({ choice }: { choice: TransportChoice }) {
  if (choice.kind === 'no-key') return <NoKey />;
  return <Shell api={choice.api} />;
}

function NoKey() {
  return (
    <main className="app">
      <h1>Switchyard</h1>
      <div className="notice notice-error" role="alert">
        <p>This dashboard needs its admin key.</p>
        <p>Open it with the link that <code>switchyard serve</code> printed: it ends with <code>#key=…</code>.</p>
      </div>
    </main>
  );
}

export function Shell({ api }: { api: SwitchyardApi }) {
  const [store] = useState(() => new LiveStore(api));
  useEffect(() => store.start(), [store]);
  const state = useLiveState(store);
  const route = useHashRoute();

  useEffect(() => {
    document.title = route === 'settings' ? 'Switchyard — Settings' : 'Switchyard — Dashboard';
  }, [route]);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Switchyard</span>
        <nav aria-label="Main">
          <a href="#/" aria-current={route === 'dashboard' ? 'page' : undefined}>
            Dashboard
          </a>
          <a href="#/settings" aria-current={route === 'settings' ? 'page' : undefined}>
            Settings
          </a>
        </nav>
        {state.snapshot ? (
          <span className="muted run-info">
            {state.snapshot.version}
            {state.snapshot.simulate ? ' · simulator' : ''}
          </span>
        ) : null}
      </header>
      <main id="main" className="app" tabIndex={-1}>
        <h1 className="visually-hidden">{route === 'settings' ? 'Settings' : 'Dashboard'}</h1>
        <ConnectionNotice connection={state.connection} />
        {state.snapshot ? (
          route === 'settings' ? (
            <SettingsPage api={api} snapshot={state.snapshot} />
          ) : (
            <Dashboard api={api} snapshot={state.snapshot} events={state.events} />
          )
        ) : state.loadError && state.connection?.state !== 'refused' ? (
          // A refused key is said once, by the connection notice above: retrying cannot fix it.
          <div className="notice notice-error" role="alert">
            <p>{state.loadError}</p>
            <button type="button" onClick={() => void store.load()}>
              Try again
            </button>
          </div>
        ) : (
          <p className="muted">Loading…</p>
        )}
      </main>
    </>
  );
}

import { useCallback, useEffect, useState } from 'react';
import type { AccountListing, SwitchyardApi } from '../../shared/api';
import type { Settings } from '../../shared/settings';
import type { Snapshot } from '../../shared/snapshot';
import { describeError } from '../api/api-error';
import { AccountsManager } from './AccountsManager';
import { AddAccountForm } from './AddAccountForm';
import { ApiKeyPanel } from './ApiKeyPanel';
import { DesktopForm } from './DesktopForm';
import { LimitsForm } from './LimitsForm';
import { ProxyAddressForm } from './ProxyAddressForm';
import { RoutesEditor } from './RoutesEditor';
import { RoutingForm } from './RoutingForm';

/** Settings: loads them once, reloads after each change, and renders one form per concern. */
export function SettingsPage({ api, snapshot }: { api: SwitchyardApi; snapshot: Snapshot }) {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [accounts, setAccounts] = useState<AccountListing[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);

  const reload = useCallback(() => {
    Promise.all([api.getSettings(), api.listAccounts()]).then(
      ([s, listed]) => {
        setSettings(s);
        setAccounts(listed);
        setLoadError(null);
      },
      (error: unknown) => setLoadError(describeError(error)),
    );
  }, [api]);

  // Accounts also come and go outside this page (the environment at start, another window): follow the snapshot's.
  const accountKeys = snapshot.accounts.map((a) => a.key).join('\n');
  useEffect(reload, [reload, accountKeys]);

  if (!settings) {
    return loadError ? (
      <div className="notice notice-error" role="alert">
        <p>Could not load the settings: {loadError}</p>
        <button type="button" onClick={reload}>
          Try again
        </button>
      </div>
    ) : (
      <p className="muted">Loading settings…</p>
    );
  }

  return (
    <div className="settings">
      <AddAccountForm api={api} onAdded={reload} />
      <AccountsManager api={api} accounts={accounts} views={snapshot.accounts} onChanged={reload} />
      <ProxyAddressForm api={api} settings={settings} proxy={snapshot.proxy} onSaved={setSettings} />
      <ApiKeyPanel api={api} isSet={settings.apiKey !== null} required={snapshot.proxy.apiKeyRequired} onChanged={reload} />
      <LimitsForm api={api} settings={settings} onSaved={setSettings} />
      <RoutingForm api={api} settings={settings} onSaved={setSettings} />
      <RoutesEditor api={api} routes={settings.routes} offered={snapshot.routeTargets} onSaved={setSettings} />
      <DesktopForm api={api} settings={settings} onSaved={setSettings} />
    </div>
  );
}

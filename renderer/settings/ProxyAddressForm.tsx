import { useState } from 'react';
import type { SwitchyardApi } from '../../shared/api';
import type { Settings } from '../../shared/settings';
import type { ProxyView } from '../../shared/snapshot';
import { useAction } from '../hooks/use-action';
import { TextField } from './Field';
import { SettingsFormPanel } from './SettingsFormPanel';
import { numberReader, useSettingsForm } from './use-settings-form';
import { isLoopbackHost, validateHost } from './validate';

interface Props {
  api: SwitchyardApi;
  settings: Settings;
  proxy: ProxyView;
  onSaved(settings: Settings): void;
}

/** Proxy host and port; they apply when the proxy restarts. */
export function ProxyAddressForm({ api, settings, proxy, onSaved }: Props) {
  const [host, setHost] = useState(settings.host);
  const [port, setPort] = useState(String(settings.port));
  const form = useSettingsForm(api, onSaved);
  const restart = useAction();
  const pending = settings.host !== proxy.host || (settings.port !== 0 && settings.port !== proxy.port);

  function submit() {
    form.save(() => {
      const reader = numberReader();
      const hostError = validateHost(host);
      if (hostError) reader.errors.host = hostError;
      return { patch: { host: host.trim(), ...reader.entry('port', port, 'port') }, errors: reader.errors };
    }, 'Saved. The proxy uses the new address after it restarts.');
  }

  return (
    <SettingsFormPanel
      id="address"
      title="Proxy address"
      form={form}
      submitLabel="Save address"
      onSubmit={submit}
      outcome={{ error: form.action.error ?? restart.error, done: form.action.done ?? restart.done }}
      actions={
        pending ? (
          <button
            type="button"
            disabled={restart.busy}
            onClick={() =>
              void restart.run(
                async () => {
                  await api.stopProxy();
                  await api.startProxy();
                },
                () => 'Proxy restarted.',
              )
            }
          >
            Restart proxy now
          </button>
        ) : null
      }
    >
      <TextField
        label="Host (HOST)"
        value={host}
        onChange={setHost}
        error={form.errors.host}
        hint={
          isLoopbackHost(host) || host.trim() === ''
            ? '127.0.0.1 keeps the proxy reachable from this computer only.'
            : 'Warning: other computers on your network will be able to use your GitHub accounts through this address.'
        }
      />
      <TextField label="Port (PORT)" inputMode="numeric" value={port} onChange={setPort} error={form.errors.port} hint="0 picks a free port." />
      <p className="hint">Host and port apply when the proxy restarts.</p>
    </SettingsFormPanel>
  );
}

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

const address = (host: string, port: number) => `${host.includes(':') ? `[${host}]` : host}:${port === 0 ? 'any free port' : port}`;

/**
 * What is in effect and why. Saving moves a running proxy at once, so a running proxy elsewhere
 * than the saved address was placed there when Switchyard started, by a flag or the environment,
 * which win over the saved settings for the whole run: restarting the proxy would land on the same
 * address, so no restart is offered then.
 */
function inEffect(settings: Settings, proxy: ProxyView): { text: string; overridden: boolean } {
  const saved = address(settings.host, settings.port);
  const differs = settings.host !== proxy.host || (settings.port !== 0 && settings.port !== proxy.port);
  if (proxy.status !== 'running') return { text: `Not listening now; it will listen on the saved ${saved}.`, overridden: false };
  if (!differs) return { text: `In effect now: ${address(proxy.host, proxy.port)}, the saved address.`, overridden: false };
  return {
    text:
      `In effect now: ${address(proxy.host, proxy.port)}, set when Switchyard started by a command-line flag (--host, --port) ` +
      `or the HOST / PORT environment variable, which win over the saved ${saved} while it runs. ` +
      `The saved address applies when Switchyard starts without them.`,
    overridden: true,
  };
}

/** Proxy host and port: what is saved, what is in effect and why. */
export function ProxyAddressForm({ api, settings, proxy, onSaved }: Props) {
  const [host, setHost] = useState(settings.host);
  const [port, setPort] = useState(String(settings.port));
  const form = useSettingsForm(api, onSaved);
  const restart = useAction();
  const effect = inEffect(settings, proxy);
  const pending = proxy.status !== 'running' && proxy.status !== 'starting';

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
      <p className="hint" data-testid="address-in-effect">
        {effect.text}
      </p>
    </SettingsFormPanel>
  );
}

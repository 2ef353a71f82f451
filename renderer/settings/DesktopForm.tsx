import { useState } from 'react';
import type { SwitchyardApi } from '../../shared/api';
import type { NotificationKind } from '../../shared/events';
import type { Settings } from '../../shared/settings';
import { CheckField } from './Field';
import { SettingsFormPanel } from './SettingsFormPanel';
import { useSettingsForm } from './use-settings-form';

const KINDS: { kind: NotificationKind; label: string }[] = [
  { kind: 'rotation', label: 'Rotation to another account' },
  { kind: 'invalid', label: 'A token stopped working' },
  { kind: 'exhausted', label: 'No account can serve a model' },
  { kind: 'recovery', label: 'An account or model is usable again' },
];

/** Desktop notifications per kind and launch at login. */
export function DesktopForm({ api, settings, onSaved }: { api: SwitchyardApi; settings: Settings; onSaved(settings: Settings): void }) {
  const [notifications, setNotifications] = useState(settings.notifications);
  const [launchAtLogin, setLaunchAtLogin] = useState(settings.launchAtLogin);
  const form = useSettingsForm(api, onSaved);

  return (
    <SettingsFormPanel
      id="desktop"
      title="Desktop"
      form={form}
      submitLabel="Save desktop settings"
      onSubmit={() => form.save(() => ({ patch: { notifications, launchAtLogin }, errors: {} }))}
    >
      <fieldset>
        <legend>Notify me about</legend>
        {KINDS.map(({ kind, label }) => (
          <CheckField key={kind} label={label} checked={notifications[kind]} onChange={(on) => setNotifications({ ...notifications, [kind]: on })} />
        ))}
      </fieldset>
      <CheckField
        label="Launch Switchyard at login"
        checked={launchAtLogin}
        onChange={setLaunchAtLogin}
        hint="Applies to the desktop app; the headless server is started by you or your service manager."
      />
    </SettingsFormPanel>
  );
}

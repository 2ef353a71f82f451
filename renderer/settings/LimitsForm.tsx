import { useState } from 'react';
import type { SwitchyardApi } from '../../shared/api';
import type { Settings } from '../../shared/settings';
import { CheckField, TextField } from './Field';
import { SettingsFormPanel } from './SettingsFormPanel';
import { numberReader, useSettingsForm } from './use-settings-form';

interface Props {
  api: SwitchyardApi;
  settings: Settings;
  onSaved(settings: Settings): void;
}

/** The old system's four settings: per-model throttling and the inbound rate limit. */
export function LimitsForm({ api, settings, onSaved }: Props) {
  const [throttle, setThrottle] = useState(settings.throttling.enabled);
  const [interval, setMinInterval] = useState(String(settings.throttling.minIntervalMs));
  const [limit, setLimit] = useState(settings.inboundRateLimit.enabled);
  const [perMinute, setPerMinute] = useState(String(settings.inboundRateLimit.perMinute));
  const form = useSettingsForm(api, onSaved);

  function submit() {
    form.save(() => {
      const reader = numberReader();
      return {
        patch: {
          throttling: { enabled: throttle, ...reader.entry('minIntervalMs', interval, 'throttling.minIntervalMs') },
          inboundRateLimit: { enabled: limit, ...reader.entry('perMinute', perMinute, 'inboundRateLimit.perMinute') },
        },
        errors: reader.errors,
      };
    });
  }

  return (
    <SettingsFormPanel id="limits" title="Throttling and rate limit" form={form} submitLabel="Save limits" onSubmit={submit}>
      <fieldset>
        <legend>Throttling</legend>
        <CheckField
          label="Space out requests to the same model (ENABLE_MODEL_THROTTLING)"
          checked={throttle}
          onChange={setThrottle}
        />
        <TextField
          label="Minimum interval between requests to one model, in milliseconds (MODEL_MIN_INTERVAL_MS)"
          inputMode="numeric"
          value={interval}
          onChange={setMinInterval}
          error={form.errors['throttling.minIntervalMs']}
          hint="2000 means at most one request every 2 seconds per model."
        />
      </fieldset>
      <fieldset>
        <legend>Inbound rate limit</legend>
        <CheckField label="Limit how many requests each client may send (RATE_LIMIT_ENABLED)" checked={limit} onChange={setLimit} />
        <TextField
          label="Requests per minute per client (RATE_LIMIT_PER_MINUTE)"
          inputMode="numeric"
          value={perMinute}
          onChange={setPerMinute}
          error={form.errors['inboundRateLimit.perMinute']}
        />
      </fieldset>
    </SettingsFormPanel>
  );
}

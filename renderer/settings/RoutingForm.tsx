import { useId, useState } from 'react';
import type { SwitchyardApi } from '../../shared/api';
import { STRATEGIES, type Strategy } from '../../shared/domain';
import type { Settings } from '../../shared/settings';
import { STRATEGY_LABEL } from '../format/labels';
import { TextField } from './Field';
import { SettingsFormPanel } from './SettingsFormPanel';
import { numberReader, useSettingsForm } from './use-settings-form';

interface Props {
  api: SwitchyardApi;
  settings: Settings;
  onSaved(settings: Settings): void;
}

/** How the next account is chosen, and how long a request may wait for one. */
export function RoutingForm({ api, settings, onSaved }: Props) {
  const [strategy, setStrategy] = useState<Strategy>(settings.strategy);
  const [maxWait, setMaxWait] = useState(String(settings.maxWaitMs));
  const form = useSettingsForm(api, onSaved);
  const strategyId = useId();

  function submit() {
    form.save(() => {
      const reader = numberReader();
      return { patch: { strategy, ...reader.entry('maxWaitMs', maxWait, 'maxWaitMs') }, errors: reader.errors };
    });
  }

  return (
    <SettingsFormPanel id="routing" title="Account choice" form={form} submitLabel="Save account choice" onSubmit={submit}>
      <div className="field">
        <label htmlFor={strategyId}>Strategy</label>
        <select id={strategyId} value={strategy} onChange={(e) => setStrategy(e.target.value as Strategy)}>
          {STRATEGIES.map((s) => (
            <option key={s} value={s}>
              {STRATEGY_LABEL[s]}
            </option>
          ))}
        </select>
      </div>
      <TextField
        label="Maximum wait, in milliseconds"
        inputMode="numeric"
        value={maxWait}
        onChange={setMaxWait}
        error={form.errors.maxWaitMs}
        hint="When every account is cooling down for a model, wait up to this long for the earliest reset before answering 429."
      />
    </SettingsFormPanel>
  );
}

import { useId, useState, type FormEvent } from 'react';
import type { SwitchyardApi } from '../../shared/api';
import { STRATEGIES, type Strategy } from '../../shared/domain';
import type { Settings } from '../../shared/settings';
import { Outcome } from '../common/Notice';
import { STRATEGY_LABEL } from '../format/labels';
import { TextField } from './Field';
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

  function submit(e: FormEvent) {
    e.preventDefault();
    form.save(() => {
      const reader = numberReader();
      const maxWaitMs = reader.read(maxWait, 'maxWaitMs');
      return { patch: { strategy, ...(maxWaitMs !== undefined ? { maxWaitMs } : {}) }, errors: reader.errors };
    });
  }

  return (
    <section className="panel" aria-labelledby="routing-heading">
      <h2 id="routing-heading">Account choice</h2>
      <form onSubmit={submit} noValidate>
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
        <div className="actions">
          <button type="submit" disabled={form.action.busy}>
            Save account choice
          </button>
        </div>
      </form>
      <Outcome error={form.action.error} done={form.action.done} />
    </section>
  );
}

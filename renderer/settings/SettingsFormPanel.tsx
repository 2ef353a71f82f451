import type { FormEvent, ReactNode } from 'react';
import { Outcome } from '../common/Notice';
import type { SettingsForm } from './use-settings-form';

interface Props {
  /** Prefix of the heading's id, which names the region. */
  id: string;
  title: string;
  form: SettingsForm;
  submitLabel: string;
  /** Runs on submit, after the browser's own submission has been stopped. */
  onSubmit(): void;
  /** Buttons after the submit button. */
  actions?: ReactNode;
  /** What the outcome line shows; the form's own save by default. */
  outcome?: { error: string | null; done: string | null };
  children: ReactNode;
}

/** The frame every settings form shares: titled region, fields, a save button, the outcome. */
export function SettingsFormPanel({ id, title, form, submitLabel, onSubmit, actions, outcome = form.action, children }: Props) {
  function submit(e: FormEvent) {
    e.preventDefault();
    onSubmit();
  }

  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      <form onSubmit={submit} noValidate>
        {children}
        <div className="actions">
          <button type="submit" disabled={form.action.busy}>
            {submitLabel}
          </button>
          {actions}
        </div>
      </form>
      <Outcome error={outcome.error} done={outcome.done} />
    </section>
  );
}

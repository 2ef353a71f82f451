import { useId, useState, type FormEvent } from 'react';
import type { AddAccountResult, SwitchyardApi } from '../../shared/api';
import { PLANS, type Plan } from '../../shared/domain';
import { describeError } from '../api/api-error';
import { TextField } from './Field';
import { validateToken } from './validate';

type Outcome = { tone: 'ok' | 'error'; text: string; hint?: string } | null;

const HINT: Partial<Record<Extract<AddAccountResult, { ok: false }>['code'], string>> = {
  duplicate_login:
    'GitHub counts limits per user, not per token: a second token of the same user adds no quota. Use a token of a different GitHub account.',
  invalid_token: 'Create a new token on GitHub (Settings → Developer settings) and paste it here.',
  no_models_access: 'The token works, but GitHub Models refused it. Check that the account can use GitHub Models.',
  gh_not_installed: 'Install the GitHub CLI and run `gh auth login`, or paste a token instead.',
  gh_no_token: 'Run `gh auth login` first, or paste a token instead.',
};

/** Words of a sentence, for telling whether a hint would repeat what the message says. */
const words = (text: string) => new Set(text.toLowerCase().match(/[a-z]{4,}/g) ?? []);

/** The hint, unless the engine's message already says most of it (then it would be said twice). */
function hintFor(code: Extract<AddAccountResult, { ok: false }>['code'], message: string): string | undefined {
  const hint = HINT[code];
  if (!hint) return undefined;
  const said = words(message);
  const hinted = [...words(hint)];
  return hinted.filter((w) => said.has(w)).length * 2 > hinted.length ? undefined : hint;
}

function describeResult(result: AddAccountResult): Outcome {
  if (result.ok) return { tone: 'ok', text: `Added ${result.key}: signed in as ${result.login} (${result.masked}).` };
  return { tone: 'error', text: result.message, hint: hintFor(result.code, result.message) };
}

/** Add an account by pasting a token, or import the GitHub CLI's token. */
export function AddAccountForm({ api, onAdded }: { api: SwitchyardApi; onAdded(): void }) {
  const [token, setToken] = useState('');
  const [plan, setPlan] = useState<Plan>('free');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const planId = useId();

  async function add(work: () => Promise<AddAccountResult>) {
    setBusy(true);
    setOutcome(null);
    try {
      const result = await work();
      setOutcome(describeResult(result));
      if (result.ok) onAdded();
    } catch (failure) {
      setOutcome({ tone: 'error', text: describeError(failure) });
    } finally {
      setBusy(false);
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    const problem = validateToken(token);
    setError(problem ?? undefined);
    // One outcome at a time: a new attempt replaces what the last one said.
    setOutcome(null);
    if (problem) return;
    const value = token.trim();
    setToken('');
    void add(() => api.addAccount({ token: value, plan }));
  }

  return (
    <section className="panel" aria-labelledby="add-heading">
      <h2 id="add-heading">Add an account</h2>
      <form onSubmit={submit} noValidate>
        <TextField
          label="GitHub token"
          type="password"
          name="github-token"
          autoComplete="off"
          value={token}
          onChange={(v) => {
            setToken(v);
            if (error) setError(undefined);
            if (outcome?.tone === 'error') setOutcome(null);
          }}
          error={error}
          hint="It is checked with GitHub (your login and a models call) before it is saved, and it is never shown again."
        />
        <div className="field">
          <label htmlFor={planId}>Plan</label>
          <select id={planId} value={plan} onChange={(e) => setPlan(e.target.value as Plan)}>
            {PLANS.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </div>
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Checking with GitHub…' : 'Add account'}
          </button>
          <button type="button" disabled={busy} onClick={() => void add(() => api.importFromGh())}>
            Import from GitHub CLI
          </button>
        </div>
      </form>
      {outcome?.tone === 'error' ? (
        <div className="notice notice-error" role="alert">
          <p>{outcome.text}</p>
          {outcome.hint ? <p className="hint">{outcome.hint}</p> : null}
        </div>
      ) : null}
      <p className="notice notice-ok" role="status">
        {outcome?.tone === 'ok' ? outcome.text : null}
      </p>
    </section>
  );
}

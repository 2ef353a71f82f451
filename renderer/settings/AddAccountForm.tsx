import { useId, useState, type FormEvent } from 'react';
import type { AddAccountInput, AddAccountResult, SwitchyardApi } from '../../shared/api';
import { PLANS, type Plan } from '../../shared/domain';
import { PROVIDER_INFO, type ProviderId } from '../../shared/providers-catalog';
import { describeError } from '../api/api-error';
import { CredentialField, keyLabel, ProviderPicker, validateCredential, validateKey } from './AddAccountProvider';
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
  if (result.ok) return { tone: 'ok', text: `Added ${result.key}: signed in as ${result.login} (${result.masked}).${result.note ? ` ${result.note}` : ''}` };
  return { tone: 'error', text: result.message, hint: hintFor(result.code, result.message) };
}

/** A live provider first: GitHub Models is retired (still in the list, marked so). */
export const FIRST_PROVIDER: ProviderId = 'groq';

/** Add an account of any provider by pasting its key, or import the GitHub CLI's token. */
export function AddAccountForm({ api, onAdded }: { api: SwitchyardApi; onAdded(): void }) {
  const [provider, setProvider] = useState<ProviderId>(FIRST_PROVIDER);
  const [token, setToken] = useState('');
  const [extra, setExtra] = useState('');
  const [extraError, setExtraError] = useState<string | undefined>();
  const [quotaGroup, setQuotaGroup] = useState('');
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

  const info = PROVIDER_INFO[provider];
  const isGithub = provider === 'github';

  function choose(next: ProviderId) {
    setProvider(next);
    setExtra('');
    setError(undefined);
    setExtraError(undefined);
    setOutcome(null);
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    const problem = isGithub ? validateToken(token) : validateKey(provider, token);
    const extraProblem = info.needs ? validateCredential(info.needs, extra) : null;
    setError(problem ?? undefined);
    setExtraError(extraProblem ?? undefined);
    // One outcome at a time: a new attempt replaces what the last one said.
    setOutcome(null);
    if (problem || extraProblem) return;
    const value = token.trim();
    setToken('');
    const input: AddAccountInput = isGithub
      ? { token: value, plan }
      : { token: value, provider, ...(info.needs ? { [info.needs]: extra.trim() } : {}), ...(quotaGroup.trim() ? { quotaGroup: quotaGroup.trim() } : {}) };
    void add(() => api.addAccount(input));
  }

  return (
    <section className="panel" aria-labelledby="add-heading">
      <h2 id="add-heading">Add an account</h2>
      <form onSubmit={submit} noValidate>
        <ProviderPicker value={provider} onChange={choose} />
        <TextField
          label={keyLabel(provider)}
          type="password"
          name={isGithub ? 'github-token' : 'api-key'}
          autoComplete="off"
          value={token}
          onChange={(v) => {
            setToken(v);
            if (error) setError(undefined);
            if (outcome?.tone === 'error') setOutcome(null);
          }}
          error={error}
          hint={
            isGithub
              ? 'It is checked with GitHub (your login and a models call) before it is saved, and it is never shown again.'
              : `It is checked with ${info.name} (its models list) before it is saved, and it is never shown again.`
          }
        />
        {info.needs ? (
          <CredentialField
            field={info.needs}
            value={extra}
            error={extraError}
            onChange={(v) => {
              setExtra(v);
              if (extraError) setExtraError(undefined);
            }}
          />
        ) : null}
        {isGithub ? null : (
          <TextField
            label="Quota group (optional)"
            name="quota-group"
            value={quotaGroup}
            onChange={setQuotaGroup}
            hint="Keys of one Gemini project or Mistral organisation share one quota: give them the same group name."
          />
        )}
        {isGithub ? (
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
        ) : null}
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? `Checking with ${isGithub ? 'GitHub' : info.name}…` : 'Add account'}
          </button>
          {isGithub ? (
            <button type="button" disabled={busy} onClick={() => void add(() => api.importFromGh())}>
              Import from GitHub CLI
            </button>
          ) : null}
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

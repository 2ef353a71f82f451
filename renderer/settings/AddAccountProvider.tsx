import { useId } from 'react';
import { CREDENTIAL_LABELS, PROVIDER_INFO, PROVIDER_LIST, type ProviderCredentialField, type ProviderId } from '../../shared/providers-catalog';
import { TextField } from './Field';

const PLACEHOLDER: Record<ProviderCredentialField, string> = {
  accountId: 'The 32-character id on the Cloudflare dashboard (Workers AI → Use REST API).',
  endpoint: 'https://<resource>.openai.azure.com — on the resource’s Keys and Endpoint page.',
  baseUrl: 'The address before /chat/completions, e.g. http://localhost:11434/v1.',
};

/** How the key field is named for a provider. */
export function keyLabel(provider: ProviderId): string {
  return provider === 'github' ? 'GitHub token' : `${PROVIDER_INFO[provider].name} API key`;
}

function isHttpUrl(raw: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(raw).protocol);
  } catch {
    return false;
  }
}

/** Checks a non-GitHub key before it is sent: plain words, never echoing the key. */
export function validateKey(provider: ProviderId, raw: string): string | null {
  const key = raw.trim();
  const name = PROVIDER_INFO[provider].name;
  if (key === '') return `Paste a ${name} key first.`;
  if (/\s/.test(key)) return 'A key has no spaces or line breaks — check that you copied exactly the key.';
  return null;
}

/** Checks the field a provider needs beside its key (account id, endpoint, base URL). */
export function validateCredential(field: ProviderCredentialField, raw: string): string | null {
  const value = raw.trim();
  if (value === '') return `${CREDENTIAL_LABELS[field]} is needed for this provider.`;
  if (field !== 'accountId' && !isHttpUrl(value)) return 'Give an http:// or https:// address.';
  return null;
}

/** The provider choice, with what it offers and where its keys come from. */
export function ProviderPicker({ value, onChange }: { value: ProviderId; onChange(provider: ProviderId): void }) {
  const id = useId();
  const info = PROVIDER_INFO[value];
  return (
    <div className="field">
      <label htmlFor={id}>Provider</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as ProviderId)} aria-describedby={`${id}-about`}>
        {PROVIDER_LIST.map((p) => (
          <option key={p.id} value={p.id}>
            {p.retired ? `${p.name} (retired)` : p.name}
          </option>
        ))}
      </select>
      <p id={`${id}-about`} className="hint">
        {info.offers}{' '}
        {info.keysUrl ? (
          <>
            Keys: <a href={info.keysUrl} target="_blank" rel="noreferrer">{info.keysUrl}</a>
          </>
        ) : null}
      </p>
    </div>
  );
}

/** The field a provider needs beside its key, when it needs one. */
export function CredentialField({ field, value, error, onChange }: { field: ProviderCredentialField; value: string; error: string | undefined; onChange(value: string): void }) {
  return <TextField label={CREDENTIAL_LABELS[field]} name={field} value={value} onChange={onChange} error={error} hint={PLACEHOLDER[field]} />;
}

import { useState } from 'react';
import type { SwitchyardApi } from '../../shared/api';
import { copyText } from '../common/copy-text';
import { Outcome } from '../common/Notice';
import { useAction } from '../hooks/use-action';

/** The client API key: generated here, shown once with a copy button, or cleared. */
interface Props {
  api: SwitchyardApi;
  /** A key is saved in the settings. */
  isSet: boolean;
  /** The proxy asks clients for a key (from the settings or SWITCHYARD_API_KEY). */
  required: boolean;
  onChanged(): void;
}

export function ApiKeyPanel({ api, isSet, required, onChanged }: Props) {
  const action = useAction();
  const [fresh, setFresh] = useState<string | null>(null);
  const [copied, setCopied] = useState<string | null>(null);

  return (
    <section className="panel" aria-labelledby="apikey-heading">
      <h2 id="apikey-heading">Client API key</h2>
      <p>
        {isSet
          ? 'A client API key is set: programs must send it as a bearer token (the OpenAI SDK’s apiKey).'
          : required
            ? 'The proxy requires a client API key given by SWITCHYARD_API_KEY in its environment.'
            : 'No client API key: any program on this computer can use the proxy.'}
      </p>
      {fresh ? (
        <div className="fresh-key">
          <label htmlFor="fresh-api-key">New client API key — shown only once, copy it now</label>
          <input id="fresh-api-key" type="text" readOnly value={fresh} onFocus={(e) => e.currentTarget.select()} />
          <button type="button" onClick={() => void copyText(fresh).then((ok) => setCopied(ok ? 'Key copied.' : 'Could not copy automatically — select the key and copy it by hand.'))}>
            Copy key
          </button>
          <span role="status" className="muted">
            {copied}
          </span>
        </div>
      ) : null}
      <div className="actions">
        <button
          type="button"
          disabled={action.busy}
          onClick={() =>
            void action.run(
              () => api.generateApiKey(),
              (r) => {
                setFresh(r.apiKey);
                setCopied(null);
                onChanged();
                return isSet ? 'A new key replaced the old one; programs using the old key must be updated.' : 'Key generated.';
              },
            )
          }
        >
          {isSet ? 'Generate a new key' : 'Generate key'}
        </button>
        <button
          type="button"
          className="danger"
          disabled={action.busy || !isSet}
          onClick={() =>
            void action.run(
              () => api.clearApiKey(),
              () => {
                setFresh(null);
                onChanged();
                return 'Key cleared: the proxy no longer asks for one.';
              },
            )
          }
        >
          Clear key
        </button>
      </div>
      <Outcome error={action.error} done={action.done} />
    </section>
  );
}

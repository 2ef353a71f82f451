import { useState } from 'react';
import type { ProxyView } from '../../shared/snapshot';
import { copyText } from '../common/copy-text';
import { clientSnippet, SNIPPET_LABEL, type SnippetKind } from './client-snippets';

const KINDS: SnippetKind[] = ['python', 'node', 'curl', 'codex', 'claude'];

/** Ready snippets for the OpenAI SDK, curl, Codex CLI and Claude Code, using the base URL from the snapshot. */
export function ClientSnippet({ proxy }: { proxy: ProxyView }) {
  const [kind, setKind] = useState<SnippetKind>('python');
  const [copied, setCopied] = useState<string | null>(null);
  const code = clientSnippet(kind, proxy);
  return (
    <section className="panel" aria-labelledby="snippet-heading">
      <h2 id="snippet-heading">Use it from your code</h2>
      <div className="segmented" role="group" aria-label="Snippet language">
        {KINDS.map((k) => (
          <button
            key={k}
            type="button"
            aria-pressed={k === kind}
            onClick={() => {
              setKind(k);
              setCopied(null);
            }}
          >
            {SNIPPET_LABEL[k]}
          </button>
        ))}
      </div>
      <pre className="snippet" tabIndex={0} aria-label={`${SNIPPET_LABEL[kind]} snippet`}>
        <code>{code}</code>
      </pre>
      <p className="hint">
        {proxy.apiKeyRequired
          ? 'The proxy requires the client API key: set SWITCHYARD_API_KEY to the key from Settings before running this.'
          : 'No client API key is required: any program on this machine can use the proxy. You can set one in Settings.'}
      </p>
      <div className="actions">
        <button type="button" onClick={() => void copyText(code).then((ok) => setCopied(ok ? 'Snippet copied.' : 'Could not copy automatically — select the text and copy it by hand.'))}>
          Copy snippet
        </button>
        <span role="status" className="muted">
          {copied}
        </span>
      </div>
    </section>
  );
}

import { useState } from 'react';
import type { SwitchyardApi } from '../../shared/api';
import type { ProxyView, TrafficView } from '../../shared/snapshot';
import { copyText } from '../common/copy-text';
import { Outcome } from '../common/Notice';
import { PROXY_STATUS_LABEL } from '../format/labels';
import { useAction } from '../hooks/use-action';

/** Proxy status with Start/Stop and Copy Base URL. */
export function ProxyPanel({ api, proxy, traffic }: { api: SwitchyardApi; proxy: ProxyView; traffic: TrafficView }) {
  const action = useAction();
  const [copied, setCopied] = useState<string | null>(null);
  const running = proxy.status === 'running';
  const stopped = proxy.status === 'stopped' || proxy.status === 'error';

  async function copy() {
    const ok = await copyText(proxy.baseUrl);
    setCopied(ok ? 'Base URL copied.' : 'Could not copy automatically — select the address and copy it by hand.');
  }

  return (
    <section className="panel proxy-panel" aria-labelledby="proxy-heading">
      <div className="panel-head">
        <h2 id="proxy-heading">Proxy</h2>
        <span className={`badge badge-proxy-${proxy.status}`} data-testid="proxy-status">
          {PROXY_STATUS_LABEL[proxy.status]}
        </span>
      </div>
      <p className="proxy-url">
        Base URL: <code data-testid="base-url">{proxy.baseUrl}</code>
        {proxy.apiKeyRequired ? <span className="hint"> — clients must send the client API key</span> : null}
      </p>
      {proxy.error ? (
        <p className="notice notice-error" role="alert">
          {proxy.error}
        </p>
      ) : null}
      <p className="muted">
        {traffic.inFlight} request{traffic.inFlight === 1 ? '' : 's'} in flight, {traffic.queued} waiting
      </p>
      <div className="actions">
        <button type="button" onClick={() => void action.run(() => api.startProxy(), () => 'Proxy started.')} disabled={action.busy || running}>
          Start proxy
        </button>
        <button type="button" onClick={() => void action.run(() => api.stopProxy(), () => 'Proxy stopped.')} disabled={action.busy || stopped}>
          Stop proxy
        </button>
        <button type="button" onClick={() => void copy()}>
          Copy Base URL
        </button>
      </div>
      <Outcome error={action.error} done={action.done ?? copied} />
    </section>
  );
}

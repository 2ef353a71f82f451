import type { ConnectionState } from '../api/connection';
import { formatIn } from '../../shared/words/time-words';
import { useNow } from '../hooks/use-now';

/** Says when live updates are not arriving, so a still page is not mistaken for a quiet one. */
export function ConnectionNotice({ connection }: { connection: ConnectionState | null }) {
  if (!connection || connection.state === 'open' || connection.state === 'connecting') return null;
  if (connection.state === 'refused') {
    return (
      <p className="notice notice-error" role="alert">
        {connection.reason} Live updates are off.
      </p>
    );
  }
  return <Retrying retryAt={connection.retryAt} reason={connection.reason} />;
}

function Retrying({ retryAt, reason }: { retryAt: number; reason: string }) {
  const now = useNow();
  return (
    <p className="notice notice-warn" role="status">
      {reason} What you see may be out of date. Reconnecting {formatIn(retryAt, now)}…
    </p>
  );
}

/** State of the live-update channel, for a "reconnecting…" notice. */
export type ConnectionState =
  | { state: 'connecting' }
  | { state: 'open' }
  | { state: 'retrying'; retryAt: number; reason: string }
  | { state: 'refused'; reason: string };

/** Transports that can report their live-update channel implement this besides SwitchyardApi. */
export interface ConnectionAware {
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
}

export function isConnectionAware(api: object): api is ConnectionAware {
  return typeof (api as Partial<ConnectionAware>).onConnectionChange === 'function';
}

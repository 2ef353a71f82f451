import type { PushMessage } from '../../shared/api';
import type { EngineEvent } from '../../shared/events';
import type { Snapshot } from '../../shared/snapshot';
import type { SnapshotDelta } from '../../shared/snapshot-delta';
import { errorFromResponse } from './api-error';
import type { ConnectionState } from './connection';
import { readSseStream } from './sse-stream';

export interface Backoff {
  initialMs: number;
  maxMs: number;
}

export interface LiveStreamOptions {
  url: string;
  authorization: string;
  fetch: typeof fetch;
  backoff?: Backoff;
}

const DEFAULT_BACKOFF: Backoff = { initialMs: 1_000, maxMs: 30_000 };

/**
 * One shared SSE connection for every subscriber: opened on the first subscribe, closed on the
 * last unsubscribe, reconnected with exponential backoff (reset once a message arrives).
 * A refused admin key (401/403) stops the retries: retrying cannot fix it.
 */
export class LiveStream {
  private readonly listeners = new Set<(message: PushMessage) => void>();
  private readonly connectionListeners = new Set<(state: ConnectionState) => void>();
  private readonly backoff: Backoff;
  private controller: AbortController | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private state: ConnectionState = { state: 'connecting' };

  constructor(private readonly options: LiveStreamOptions) {
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
  }

  subscribe(listener: (message: PushMessage) => void): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.open();
    return () => {
      if (!this.listeners.delete(listener)) return;
      if (this.listeners.size === 0) this.close();
    };
  }

  onConnectionChange(listener: (state: ConnectionState) => void): () => void {
    this.connectionListeners.add(listener);
    listener(this.state);
    return () => this.connectionListeners.delete(listener);
  }

  private open(): void {
    this.attempt = 0;
    void this.connect();
  }

  private close(): void {
    this.controller?.abort();
    this.controller = null;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    for (const listener of this.connectionListeners) listener(state);
  }

  private async connect(): Promise<void> {
    const controller = new AbortController();
    this.controller = controller;
    this.timer = null;
    this.setState({ state: 'connecting' });
    let reason: string;
    try {
      const response = await this.options.fetch(this.options.url, {
        headers: { Authorization: this.options.authorization, Accept: 'text/event-stream' },
        cache: 'no-store',
        signal: controller.signal,
      });
      if (response.status === 401 || response.status === 403) {
        // Retrying cannot fix a wrong key or a non-loopback client.
        this.setState({ state: 'refused', reason: errorFromResponse(response.status, await response.text().catch(() => '')).message });
        return;
      }
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
      this.setState({ state: 'open' });
      await readSseStream(response.body, (message) => {
        this.attempt = 0;
        this.dispatch(message.event, message.data);
      });
      reason = 'Switchyard closed the live-update stream.';
    } catch {
      reason = 'Lost the connection to Switchyard.';
    }
    if (controller.signal.aborted || this.controller !== controller) return;
    const delay = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** this.attempt);
    this.attempt += 1;
    this.setState({ state: 'retrying', retryAt: Date.now() + delay, reason });
    this.timer = setTimeout(() => void this.connect(), delay);
  }

  private dispatch(kind: string | undefined, data: string): void {
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return;
    }
    let message: PushMessage;
    if (kind === 'snapshot') message = { type: 'snapshot', snapshot: payload as Snapshot };
    else if (kind === 'events') message = { type: 'events', events: payload as EngineEvent[] };
    else if (kind === 'delta') message = { type: 'delta', delta: payload as SnapshotDelta };
    else return;
    for (const listener of [...this.listeners]) {
      try {
        listener(message);
      } catch (error) {
        console.error('A live-update listener failed', error);
      }
    }
  }
}

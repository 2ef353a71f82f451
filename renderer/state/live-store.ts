import type { PushMessage, SwitchyardApi } from '../../shared/api';
import type { EngineEvent } from '../../shared/events';
import type { Snapshot } from '../../shared/snapshot';
import { applySnapshotDelta } from '../../shared/snapshot-delta';
import { describeError } from '../api/api-error';
import { isConnectionAware, type ConnectionState } from '../api/connection';

export interface LiveState {
  snapshot: Snapshot | null;
  /** Oldest first, by id, without duplicates, at most `eventLimit`. */
  events: EngineEvent[];
  /** Plain words when the first load failed. */
  loadError: string | null;
  /** null when the transport does not report it (desktop IPC). */
  connection: ConnectionState | null;
}

/**
 * Holds what the views render: the latest snapshot and the recent events, kept current by the
 * transport's pushes. It computes nothing about quota; it only orders and de-duplicates.
 */
export class LiveStore {
  private state: LiveState = { snapshot: null, events: [], loadError: null, connection: null };
  private readonly listeners = new Set<() => void>();
  private readonly eventLimit: number;
  /** The last snapshot the push stream sent (whole or rebuilt from deltas): what its next delta applies to. */
  private streamSnapshot: Snapshot | null = null;

  constructor(
    private readonly api: SwitchyardApi,
    options: { eventLimit?: number } = {},
  ) {
    this.eventLimit = options.eventLimit ?? 500;
  }

  getState = (): LiveState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Subscribes to pushes first (so nothing falls in a gap), then loads. Returns a stop function. */
  start(): () => void {
    const stopPush = this.api.subscribe((message) => this.onPush(message));
    let wasOpen = false;
    const stopConnection = isConnectionAware(this.api)
      ? this.api.onConnectionChange((connection) => {
          this.set({ connection });
          if (connection.state === 'open') {
            // Events pushed while the stream was down are fetched again.
            if (wasOpen) void this.loadEvents();
            wasOpen = true;
          }
        })
      : () => undefined;
    void this.load();
    return () => {
      stopPush();
      stopConnection();
    };
  }

  /** Loads the snapshot and the recent events again. */
  async load(): Promise<void> {
    try {
      const [snapshot, events] = await Promise.all([this.api.getSnapshot(), this.api.getEvents({ limit: this.eventLimit })]);
      this.acceptSnapshot(snapshot);
      this.addEvents(events);
      this.set({ loadError: null });
    } catch (error) {
      this.set({ loadError: describeError(error) });
    }
  }

  private async loadEvents(): Promise<void> {
    try {
      this.addEvents(await this.api.getEvents({ limit: this.eventLimit }));
    } catch {
      // The next push or reconnect tries again.
    }
  }

  private onPush(message: PushMessage): void {
    if (message.type === 'snapshot') {
      this.streamSnapshot = message.snapshot;
      this.acceptSnapshot(message.snapshot);
    } else if (message.type === 'delta') {
      const next = this.streamSnapshot ? applySnapshotDelta(this.streamSnapshot, message.delta) : null;
      // The stream sends a delta only onto the snapshot it sent before; without it, load whole.
      if (!next) return void this.load();
      this.streamSnapshot = next;
      this.acceptSnapshot(next);
    } else this.addEvents(message.events);
  }

  private acceptSnapshot(snapshot: Snapshot): void {
    const current = this.state.snapshot;
    // A slow first load must not overwrite a newer pushed snapshot of the same run.
    if (current && current.startId === snapshot.startId && current.generatedAt > snapshot.generatedAt) return;
    this.set({ snapshot, loadError: null });
  }

  private addEvents(incoming: EngineEvent[]): void {
    if (incoming.length === 0) return;
    const byId = new Map<number, EngineEvent>();
    for (const event of this.state.events) byId.set(event.id, event);
    for (const event of incoming) byId.set(event.id, event);
    const events = [...byId.values()].sort((a, b) => a.id - b.id).slice(-this.eventLimit);
    this.set({ events });
  }

  private set(patch: Partial<LiveState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }
}

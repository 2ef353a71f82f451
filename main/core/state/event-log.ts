import type { EventQuery } from '../../../shared/api';
import type { EngineEvent, EventBody } from '../../../shared/events';

export interface EventLogOptions {
  /** Tags every event appended by this process start. */
  startId: string;
  /** Most events kept; the oldest are dropped past it. */
  capacity?: number;
  clock: { now(): number };
  /** What a previous start persisted (`toJSON()`); ids continue after it. */
  initial?: { events: EngineEvent[]; nextEventId: number };
  /** Told when a listener throws; the other listeners and the append carry on regardless. */
  onListenerError?: (error: unknown) => void;
  /** Applied to every appended body before it is kept, told or saved (e.g. the engine's redactor: no key in events). */
  redact?: (body: EventBody) => EventBody;
}

export interface EventLogQuery extends EventQuery {
  /** Only events with an id greater than this. */
  sinceId?: number;
}

export type EventListener = (event: EngineEvent) => void;

/** The engine's bounded, ordered event history, with synchronous listeners. */
export class EventLog {
  private readonly startId: string;
  private readonly capacity: number;
  private readonly clock: { now(): number };
  private readonly onListenerError: (error: unknown) => void;
  private readonly redact: (body: EventBody) => EventBody;
  private readonly listeners = new Set<EventListener>();
  private events: EngineEvent[];
  private nextId: number;

  constructor(options: EventLogOptions) {
    const capacity = options.capacity ?? 2000;
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError('EventLog capacity must be a positive integer');
    }
    this.startId = options.startId;
    this.capacity = capacity;
    this.clock = options.clock;
    this.onListenerError = options.onListenerError ?? (() => undefined);
    this.redact = options.redact ?? ((body) => body);
    const initial = [...(options.initial?.events ?? [])].sort((a, b) => a.id - b.id);
    this.events = initial.slice(-this.capacity);
    const afterLast = (initial.at(-1)?.id ?? 0) + 1;
    this.nextId = Math.max(1, options.initial?.nextEventId ?? 1, afterLast);
  }

  /** Stamps `body` with the next id, the clock's time and this start's id, keeps it, and tells listeners. */
  append(body: EventBody): EngineEvent {
    return this.keep({ ...this.redact(body), id: this.nextId, ts: this.clock.now(), startId: this.startId } as EngineEvent);
  }

  /**
   * Keeps an event another replica emitted (heard through the shared stream): it gets this log's
   * next id and start id, keeps its own time, and says where it came from (`origin`). Listeners
   * are told as for a local one. Null, and nothing kept, when this log already holds it (heard
   * before, or this replica's own from an earlier start).
   */
  appendRemote(remote: EngineEvent): EngineEvent | null {
    const origin = remote.origin ?? { replica: remote.startId, id: remote.id };
    if (origin.replica === this.startId || this.holds(origin.replica, origin.id)) return null;
    const { id: _id, ts, startId: _startId, origin: _origin, ...body } = remote;
    return this.keep({ ...this.redact(body as EventBody), id: this.nextId, ts, startId: this.startId, origin: { replica: origin.replica, id: origin.id } } as EngineEvent);
  }

  /** True when an event that start `startId` gave id `id` is kept here (as its own or as heard). */
  holds(startId: string, id: number): boolean {
    for (let i = this.events.length - 1; i >= 0; i--) {
      const event = this.events[i]!;
      const replica = event.origin?.replica ?? event.startId;
      const eventId = event.origin?.id ?? event.id;
      if (replica === startId && eventId === id) return true;
    }
    return false;
  }

  private keep(event: EngineEvent): EngineEvent {
    this.nextId += 1;
    this.events.push(event);
    if (this.events.length > this.capacity) this.events.splice(0, this.events.length - this.capacity);
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        try {
          this.onListenerError(error);
        } catch {
          // Nothing more to do: append must still return.
        }
      }
    }
    return event;
  }

  /** Matching events, oldest first; with `limit`, the newest `limit` of them. */
  list(query: EventLogQuery = {}): EngineEvent[] {
    const { limit, account, kind, sinceId } = query;
    let result = this.events.filter(
      (event) =>
        (sinceId === undefined || event.id > sinceId) &&
        (kind === undefined || event.kind === kind) &&
        (account === undefined || namesAccount(event, account)),
    );
    if (limit !== undefined) result = limit > 0 ? result.slice(-Math.floor(limit)) : [];
    return result;
  }

  /** Returns an unsubscribe function. */
  onEvent(listener: EventListener): () => void {
    const wrapped: EventListener = (event) => listener(event);
    this.listeners.add(wrapped);
    return () => {
      this.listeners.delete(wrapped);
    };
  }

  /** The id the next append will get. */
  get nextEventId(): number {
    return this.nextId;
  }

  /** For PersistedState: the kept events (copied) and the next id. */
  toJSON(): { events: EngineEvent[]; nextEventId: number } {
    return { events: [...this.events], nextEventId: this.nextId };
  }
}

/** True when the event is about `account`: its `account`, `from`, `to`, or one of its `accounts`. */
export function namesAccount(event: EngineEvent, account: string): boolean {
  const fields = event as Partial<Record<'account' | 'from' | 'to', unknown>> & { accounts?: unknown };
  return (
    fields.account === account ||
    fields.from === account ||
    fields.to === account ||
    (Array.isArray(fields.accounts) && fields.accounts.includes(account))
  );
}

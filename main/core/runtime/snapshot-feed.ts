import type { EngineEvent } from '../../../shared/events';
import type { Snapshot } from '../../../shared/snapshot';
import type { Engine } from '../engine-types';

/** At most this many events ride one push (the newest; the dashboard keeps 500). */
export const MAX_EVENTS_PER_PUSH = 500;
/** Events wait this long at most for a snapshot push to ride with (e.g. the last event at shutdown). */
export const EVENT_FLUSH_MS = 300;

type Source = Pick<Engine, 'onSnapshot' | 'onEvent' | 'snapshot'>;

/** One push of the feed: the events since the last one, and the snapshot (with what changed) if it moved. */
export interface FeedPush {
  /** Oldest first; at most MAX_EVENTS_PER_PUSH (the newest of them). */
  readonly events: readonly EngineEvent[];
  /** Events left out to keep the bound. */
  readonly droppedEvents: number;
  readonly snapshot: Snapshot | null;
  /** The snapshot the delta applies to (the feed's previous one), or null. */
  readonly previous: Snapshot | null;
  /** Text of the whole snapshot, of the delta to it from `previous`, and of the events; each made once per push. */
  fullText(): string;
  deltaText(): string | null;
  eventsText(): string;
}

interface Serialized {
  snapshot: Snapshot;
  /** JSON of each top-level field but accounts, in the snapshot's key order. */
  fields: Map<string, string>;
  /** JSON of each account view, by key, in order. */
  accounts: Map<string, string>;
}

function serialize(snapshot: Snapshot): Serialized {
  const fields = new Map<string, string>();
  for (const [name, value] of Object.entries(snapshot)) if (name !== 'accounts') fields.set(name, JSON.stringify(value));
  const accounts = new Map<string, string>();
  for (const account of snapshot.accounts) accounts.set(account.key, JSON.stringify(account));
  return { snapshot, fields, accounts };
}

/** The whole snapshot's JSON, assembled from the pieces (the same text JSON.stringify gives). */
function fullJson(s: Serialized): string {
  const parts: string[] = [];
  for (const name of Object.keys(s.snapshot)) {
    const text = name === 'accounts' ? `[${[...s.accounts.values()].join(',')}]` : s.fields.get(name);
    if (text !== undefined) parts.push(`${JSON.stringify(name)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}

/** The SnapshotDelta (shared/snapshot-delta.ts) from `before` to `after`, as JSON. */
function deltaJson(before: Serialized, after: Serialized): string {
  const fields: string[] = [];
  for (const [name, text] of after.fields) if (name === 'generatedAt' || before.fields.get(name) !== text) fields.push(`${JSON.stringify(name)}:${text}`);
  const changed: string[] = [];
  for (const [key, text] of after.accounts) if (before.accounts.get(key) !== text) changed.push(text);
  const sameOrder = before.accounts.size === after.accounts.size && [...before.accounts.keys()].every((key, i) => key === after.snapshot.accounts[i]?.key);
  const order = sameOrder ? 'null' : JSON.stringify([...after.accounts.keys()]);
  return `{"base":${before.snapshot.generatedAt},"fields":{${fields.join(',')}},"accounts":[${changed.join(',')}],"order":${order}}`;
}

const once = <T>(make: () => T): (() => T) => {
  let made: { value: T } | null = null;
  return () => (made ??= { value: make() }).value;
};

/**
 * One feed per transport (the SSE route, the desktop IPC): it listens to the engine once, for
 * every subscriber, and turns the engine's coalesced snapshots (at most 4 a second) and its events
 * into pushes: each push carries the events since the last one (batched, bounded) and the
 * snapshot, whose JSON and delta are made once per push whatever the number of subscribers.
 * `encode` runs on every text before it leaves (redaction).
 */
export class SnapshotFeed {
  private readonly listeners = new Set<(push: FeedPush) => void>();
  private detach: (() => void) | null = null;
  private last: Snapshot | null = null;
  private readonly pieces = new WeakMap<Snapshot, Serialized>();
  private lastAt = 0;
  private pending: EngineEvent[] = [];
  private dropped = 0;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly source: Source,
    private readonly encode: (text: string) => string = (text) => text,
    private readonly now: () => number = Date.now,
  ) {}

  subscribe(listener: (push: FeedPush) => void): () => void {
    this.listeners.add(listener);
    if (!this.detach) {
      const offSnapshot = this.source.onSnapshot((snapshot) => this.publish(snapshot));
      const offEvent = this.source.onEvent((event) => this.queue(event));
      this.detach = () => {
        offSnapshot();
        offEvent();
      };
    }
    return () => {
      if (!this.listeners.delete(listener) || this.listeners.size > 0) return;
      this.detach?.();
      this.detach = null;
      this.last = null;
      this.pending = [];
      this.dropped = 0;
      if (this.flushTimer) clearTimeout(this.flushTimer);
      this.flushTimer = null;
    };
  }

  /**
   * What a new subscriber starts from: the feed's latest snapshot and its JSON, so the next delta
   * applies to it. Older than `freshMs`, a new one is composed and becomes the feed's latest.
   */
  current(freshMs = 1_000): { snapshot: Snapshot; text: string } {
    if (!this.last || this.now() - this.lastAt > freshMs) this.remember(this.source.snapshot());
    const last = this.last as Snapshot;
    return { snapshot: last, text: this.encode(fullJson(this.serialized(last))) };
  }

  private remember(snapshot: Snapshot): void {
    this.last = snapshot;
    this.lastAt = this.now();
  }

  /** The pieces of a snapshot's JSON, made once per snapshot and only when a text is asked for. */
  private serialized(snapshot: Snapshot): Serialized {
    let s = this.pieces.get(snapshot);
    if (!s) this.pieces.set(snapshot, (s = serialize(snapshot)));
    return s;
  }

  private queue(event: EngineEvent): void {
    this.pending.push(event);
    if (this.pending.length > MAX_EVENTS_PER_PUSH) {
      this.dropped += this.pending.length - MAX_EVENTS_PER_PUSH;
      this.pending = this.pending.slice(-MAX_EVENTS_PER_PUSH);
    }
    if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => this.emit(null), EVENT_FLUSH_MS);
      this.flushTimer.unref?.();
    }
  }

  private publish(snapshot: Snapshot): void {
    if (this.listeners.size === 0) return;
    this.emit(snapshot);
  }

  private emit(next: Snapshot | null): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const events = this.pending;
    const droppedEvents = this.dropped;
    this.pending = [];
    this.dropped = 0;
    if (!next && events.length === 0) return;
    const before = this.last;
    if (next) this.remember(next);
    const push: FeedPush = {
      events,
      droppedEvents,
      snapshot: next,
      previous: next ? before : null,
      fullText: once(() => (next ? this.encode(fullJson(this.serialized(next))) : '')),
      deltaText: once(() => (next && before ? this.encode(deltaJson(this.serialized(before), this.serialized(next))) : null)),
      eventsText: once(() => this.encode(JSON.stringify(events))),
    };
    for (const listener of [...this.listeners]) {
      try {
        listener(push);
      } catch {
        // One failing subscriber must not stop the others.
      }
    }
  }
}

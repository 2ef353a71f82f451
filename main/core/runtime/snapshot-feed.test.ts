import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineEvent } from '../../../shared/events';
import type { Snapshot } from '../../../shared/snapshot';
import { applySnapshotDelta, type SnapshotDelta } from '../../../shared/snapshot-delta';
import { makeAccount, makeSnapshot } from '../../../shared/test-support/snapshot-fixtures';
import { Coalescer, Listeners } from './notifier';
import { EVENT_FLUSH_MS, MAX_EVENTS_PER_PUSH, SnapshotFeed, type FeedPush } from './snapshot-feed';

function fakeSource(initial: Snapshot) {
  const snapshots = new Listeners<Snapshot>();
  const events = new Listeners<EngineEvent>();
  let current = initial;
  return {
    snapshot: vi.fn(() => current),
    onSnapshot: (l: (s: Snapshot) => void) => snapshots.add(l),
    onEvent: (l: (e: EngineEvent) => void) => events.add(l),
    set: (s: Snapshot) => (current = s),
    emitSnapshot: (s: Snapshot) => {
      current = s;
      snapshots.emit(s);
    },
    emitEvent: (e: EngineEvent) => events.emit(e),
    listeners: () => snapshots.size + events.size,
  };
}
const ev = (id: number): EngineEvent => ({ id, ts: id, startId: 's', kind: 'stopped' });
const accounts = (n: number, served = 0) => Array.from({ length: n }, (_, i) => makeAccount({ key: `k${i}`, totals: { served: i === 0 ? served : 0, rateLimited: 0, errors: 0 } }));

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('Coalescer (the engine snapshot cadence)', () => {
  it('runs right after a change when idle, then at most once per interval however many changes', () => {
    const run = vi.fn();
    const c = new Coalescer(run, 250);
    vi.setSystemTime(1_000_000);
    c.poke();
    vi.advanceTimersByTime(0);
    expect(run).toHaveBeenCalledTimes(1);
    // A busy second: a change every millisecond.
    for (let ms = 0; ms < 1_000; ms++) {
      c.poke();
      vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(250);
    expect(run.mock.calls.length).toBeGreaterThanOrEqual(4);
    expect(run.mock.calls.length).toBeLessThanOrEqual(6);
    // Idle again: the next change runs without waiting for a full interval.
    vi.advanceTimersByTime(5_000);
    const before = run.mock.calls.length;
    c.poke();
    vi.advanceTimersByTime(0);
    expect(run).toHaveBeenCalledTimes(before + 1);
  });
});

describe('SnapshotFeed', () => {
  it('listens to the engine once for all subscribers, and stops with the last', () => {
    const src = fakeSource(makeSnapshot());
    const feed = new SnapshotFeed(src);
    const offA = feed.subscribe(() => undefined);
    const offB = feed.subscribe(() => undefined);
    expect(src.listeners()).toBe(2);
    offA();
    expect(src.listeners()).toBe(2);
    offB();
    expect(src.listeners()).toBe(0);
  });

  it('batches the events since the last push into it, and makes each text once for every subscriber', () => {
    const src = fakeSource(makeSnapshot({ generatedAt: 1, accounts: accounts(3) }));
    const encode = vi.fn((t: string) => t);
    const feed = new SnapshotFeed(src, encode);
    const got: FeedPush[][] = [[], []];
    feed.subscribe((p) => got[0]!.push(p));
    feed.subscribe((p) => got[1]!.push(p));
    for (let i = 1; i <= 5; i++) src.emitEvent(ev(i));
    src.emitSnapshot(makeSnapshot({ generatedAt: 2, accounts: accounts(3, 7) }));
    expect(got[0]).toHaveLength(1);
    const push = got[0]![0]!;
    expect(got[1]![0]).toBe(push);
    expect(push.events.map((e) => e.id)).toEqual([1, 2, 3, 4, 5]);
    expect(JSON.parse(push.eventsText())).toHaveLength(5);
    const full = push.fullText();
    expect(push.fullText()).toBe(full);
    expect(JSON.parse(full)).toEqual(JSON.parse(JSON.stringify(push.snapshot)));
    expect(full).toBe(JSON.stringify(push.snapshot));
    expect(encode).toHaveBeenCalledTimes(2);
  });

  it('sends events alone when no snapshot follows, bounded to the newest', () => {
    const src = fakeSource(makeSnapshot());
    const feed = new SnapshotFeed(src);
    const got: FeedPush[] = [];
    feed.subscribe((p) => got.push(p));
    for (let i = 1; i <= MAX_EVENTS_PER_PUSH + 20; i++) src.emitEvent(ev(i));
    expect(got).toHaveLength(0);
    vi.advanceTimersByTime(EVENT_FLUSH_MS);
    expect(got).toHaveLength(1);
    expect(got[0]!.snapshot).toBeNull();
    expect(got[0]!.events).toHaveLength(MAX_EVENTS_PER_PUSH);
    expect(got[0]!.events[0]!.id).toBe(21);
    expect(got[0]!.droppedEvents).toBe(20);
  });

  it('a delta holds only what changed, and applied to the previous snapshot gives the new one', () => {
    const first = makeSnapshot({ generatedAt: 10, accounts: accounts(1000) });
    const src = fakeSource(first);
    const feed = new SnapshotFeed(src);
    const got: FeedPush[] = [];
    feed.subscribe((p) => got.push(p));
    const start = feed.current();
    expect(start.snapshot).toBe(first);
    const next = makeSnapshot({ generatedAt: 20, accounts: accounts(1000, 3), currentKey: 'k0' });
    src.emitSnapshot(next);
    const push = got[0]!;
    expect(push.previous).toBe(first);
    const text = push.deltaText()!;
    const delta = JSON.parse(text) as SnapshotDelta;
    expect(delta.base).toBe(10);
    expect(delta.accounts.map((a) => a.key)).toEqual(['k0']);
    expect(delta.order).toBeNull();
    expect(Object.keys(delta.fields).sort()).toEqual(['currentKey', 'generatedAt']);
    expect(text.length * 50).toBeLessThan(push.fullText().length);
    expect(applySnapshotDelta(first, delta)).toEqual(JSON.parse(JSON.stringify(next)));
  });

  it('a delta carries the order when accounts are added, removed or moved', () => {
    const first = makeSnapshot({ generatedAt: 10, accounts: accounts(3) });
    const src = fakeSource(first);
    const feed = new SnapshotFeed(src);
    const got: FeedPush[] = [];
    feed.subscribe((p) => got.push(p));
    feed.current();
    const [a, b, c] = first.accounts;
    const next = makeSnapshot({ generatedAt: 11, accounts: [c!, a!, makeAccount({ key: 'new' })] });
    src.emitSnapshot(next);
    const delta = JSON.parse(got[0]!.deltaText()!) as SnapshotDelta;
    expect(delta.order).toEqual(['k2', 'k0', 'new']);
    expect(delta.accounts.map((x) => x.key)).toEqual(['new']);
    expect(applySnapshotDelta(first, delta)?.accounts.map((x) => x.key)).toEqual(['k2', 'k0', 'new']);
    expect(b).toBeDefined();
    // Not onto a snapshot it was not made from.
    expect(applySnapshotDelta(next, delta)).toBeNull();
  });

  it('composes a new start for a subscriber when the latest push is stale', () => {
    let now = 0;
    const src = fakeSource(makeSnapshot({ generatedAt: 1 }));
    const feed = new SnapshotFeed(src, undefined, () => now);
    feed.subscribe(() => undefined);
    feed.current();
    feed.current();
    expect(src.snapshot).toHaveBeenCalledTimes(1);
    now = 5_000;
    src.set(makeSnapshot({ generatedAt: 2 }));
    expect(feed.current().snapshot.generatedAt).toBe(2);
    expect(src.snapshot).toHaveBeenCalledTimes(2);
  });
});

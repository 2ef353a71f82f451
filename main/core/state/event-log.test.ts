import { describe, expect, it, vi } from 'vitest';
import type { EngineEvent, EventBody } from '../../../shared/events';
import { EventLog } from './event-log';

const clockAt = (start = 1_000) => {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

const rotated = (from: string, to: string): EventBody => ({
  kind: 'rotated',
  from,
  to,
  model: 'openai/gpt-4.1',
  reason: 'UserByModelByDay',
  resetsAt: null,
});

describe('EventLog', () => {
  it('stamps ids, time and startId', () => {
    const clock = clockAt(5_000);
    const log = new EventLog({ startId: 'start-a', clock });
    const first = log.append({ kind: 'stopped' });
    clock.advance(10);
    const second = log.append({ kind: 'account-removed', account: 'a' });
    expect(first).toEqual({ kind: 'stopped', id: 1, ts: 5_000, startId: 'start-a' });
    expect(second).toEqual({ kind: 'account-removed', account: 'a', id: 2, ts: 5_010, startId: 'start-a' });
    expect(log.list()).toEqual([first, second]);
  });

  it('keeps only the newest `capacity` events', () => {
    const log = new EventLog({ startId: 's', clock: clockAt(), capacity: 3 });
    for (let i = 0; i < 5; i += 1) log.append({ kind: 'account-removed', account: `a${i}` });
    expect(log.list().map((e) => e.id)).toEqual([3, 4, 5]);
    expect(log.toJSON()).toEqual({ events: log.list(), nextEventId: 6 });
  });

  it('continues ids monotonically after a reload from toJSON()', () => {
    const first = new EventLog({ startId: 'one', clock: clockAt(), capacity: 2 });
    for (let i = 0; i < 4; i += 1) first.append({ kind: 'stopped' });
    const saved = JSON.parse(JSON.stringify(first.toJSON())) as { events: EngineEvent[]; nextEventId: number };

    const second = new EventLog({ startId: 'two', clock: clockAt(), capacity: 2, initial: saved });
    const next = second.append({ kind: 'stopped' });
    expect(next).toMatchObject({ id: 5, startId: 'two' });
    expect(second.list().map((e) => [e.id, e.startId])).toEqual([
      [4, 'one'],
      [5, 'two'],
    ]);
  });

  it('never reuses an id even when the saved nextEventId lags behind the events', () => {
    const events: EngineEvent[] = [
      { kind: 'stopped', id: 9, ts: 1, startId: 'x' },
      { kind: 'stopped', id: 7, ts: 1, startId: 'x' },
    ];
    const log = new EventLog({ startId: 'y', clock: clockAt(), initial: { events, nextEventId: 3 } });
    expect(log.list().map((e) => e.id)).toEqual([7, 9]);
    expect(log.append({ kind: 'stopped' }).id).toBe(10);
  });

  it('filters by account (account, from, to, accounts), kind, sinceId and limit', () => {
    const log = new EventLog({ startId: 's', clock: clockAt() });
    log.append({ kind: 'account-added', account: 'alice', login: 'al' }); // 1
    log.append(rotated('alice', 'bob')); // 2
    log.append(rotated('carol', 'alice')); // 3
    log.append({ kind: 'duplicate-login', login: 'x', accounts: ['bob', 'alice'] }); // 4
    log.append({ kind: 'manual-reset', account: null, model: null }); // 5
    log.append({ kind: 'account-added', account: 'bob', login: null }); // 6
    log.append({ kind: 'model-exhausted', model: 'alice', until: null }); // 7: a model, not an account

    const ids = (events: EngineEvent[]) => events.map((e) => e.id);
    expect(ids(log.list({ account: 'alice' }))).toEqual([1, 2, 3, 4]);
    expect(ids(log.list({ account: 'bob' }))).toEqual([2, 4, 6]);
    expect(ids(log.list({ kind: 'account-added' }))).toEqual([1, 6]);
    expect(ids(log.list({ sinceId: 4 }))).toEqual([5, 6, 7]);
    expect(ids(log.list({ limit: 2 }))).toEqual([6, 7]);
    expect(ids(log.list({ account: 'alice', limit: 2 }))).toEqual([3, 4]);
    expect(ids(log.list({ account: 'bob', kind: 'rotated', sinceId: 1 }))).toEqual([2]);
    expect(log.list({ limit: 0 })).toEqual([]);
  });

  it('notifies listeners synchronously; a throwing listener breaks neither append nor the others', () => {
    const onListenerError = vi.fn();
    const log = new EventLog({ startId: 's', clock: clockAt(), onListenerError });
    const seen: number[] = [];
    log.onEvent(() => {
      throw new Error('listener broke');
    });
    const unsubscribe = log.onEvent((event) => seen.push(event.id));

    const event = log.append({ kind: 'stopped' });
    expect(event.id).toBe(1);
    expect(seen).toEqual([1]);
    expect(onListenerError).toHaveBeenCalledWith(expect.objectContaining({ message: 'listener broke' }));

    unsubscribe();
    log.append({ kind: 'stopped' });
    expect(seen).toEqual([1]);
    expect(log.list().map((e) => e.id)).toEqual([1, 2]);
  });

  it('the same listener subscribed twice unsubscribes independently', () => {
    const log = new EventLog({ startId: 's', clock: clockAt() });
    const listener = vi.fn();
    const off1 = log.onEvent(listener);
    log.onEvent(listener);
    log.append({ kind: 'stopped' });
    expect(listener).toHaveBeenCalledTimes(2);
    off1();
    log.append({ kind: 'stopped' });
    expect(listener).toHaveBeenCalledTimes(3);
  });

  it('toJSON returns a copy', () => {
    const log = new EventLog({ startId: 's', clock: clockAt() });
    log.append({ kind: 'stopped' });
    log.toJSON().events.length = 0;
    expect(log.list()).toHaveLength(1);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new EventLog({ startId: 's', clock: clockAt(), capacity: 0 })).toThrow(RangeError);
  });

  it('appendRemote keeps another replica\'s event with this log\'s id and start, its time, its origin; redacted; told to listeners', () => {
    const log = new EventLog({ startId: 'b1', clock: clockAt(9_000), redact: (body) => JSON.parse(JSON.stringify(body).replaceAll('sk-secret', '[redacted]')) as EventBody });
    log.append({ kind: 'stopped' });
    const heard: EngineEvent[] = [];
    log.onEvent((e) => heard.push(e));
    const remote = { ...rotated('A1', 'A2'), id: 41, ts: 8_500, startId: 'a1' } as EngineEvent;
    const kept = log.appendRemote(remote);
    expect(kept).toEqual({ ...rotated('A1', 'A2'), id: 2, ts: 8_500, startId: 'b1', origin: { replica: 'a1', id: 41 } });
    expect(heard).toEqual([kept]);
    const leaky = log.appendRemote({ kind: 'account-invalid', account: 'x', login: null, reason: 'bad sk-secret', id: 42, ts: 8_600, startId: 'a1' });
    expect(leaky).toMatchObject({ reason: 'bad [redacted]', id: 3 });
    expect(log.nextEventId).toBe(4);
  });

  it('appendRemote keeps each event once: not when heard again, not this start\'s own, not an earlier start\'s own (restored)', () => {
    const earlier = new EventLog({ startId: 'b0', clock: clockAt() });
    const own = earlier.append({ kind: 'stopped' });
    earlier.appendRemote({ kind: 'stopped', id: 7, ts: 1, startId: 'a1' });
    const log = new EventLog({ startId: 'b1', clock: clockAt(), initial: earlier.toJSON() });
    const heard: EngineEvent[] = [];
    log.onEvent((e) => heard.push(e));
    expect(log.appendRemote(own)).toBeNull();
    expect(log.appendRemote({ kind: 'stopped', id: 7, ts: 1, startId: 'a1' })).toBeNull();
    const mine = log.append({ kind: 'stopped' });
    expect(log.appendRemote(mine)).toBeNull();
    expect(log.appendRemote({ kind: 'stopped', id: 8, ts: 2, startId: 'a1' })).toMatchObject({ origin: { replica: 'a1', id: 8 } });
    expect(log.appendRemote({ kind: 'stopped', id: 8, ts: 2, startId: 'a1' })).toBeNull();
    expect(heard.map((e) => e.origin?.id ?? null)).toEqual([null, 8]);
    expect(log.list()).toHaveLength(4);
  });
});

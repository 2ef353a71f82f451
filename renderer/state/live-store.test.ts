import { describe, expect, it, vi } from 'vitest';
import { fakeApi } from '../test-support/fake-api';
import { makeAccount, makeEvent, makeSnapshot } from '../test-support/fixtures';
import { LiveStore } from './live-store';

const ev = (id: number) => makeEvent(id, id * 1000, { kind: 'manual-reset', account: null, model: null });

describe('LiveStore', () => {
  it('loads the snapshot and events, then applies pushes', async () => {
    const api = fakeApi({ snapshot: makeSnapshot({ generatedAt: 10 }) });
    api.getEvents.mockResolvedValue([ev(1), ev(2)]);
    const store = new LiveStore(api);
    store.start();
    await vi.waitFor(() => expect(store.getState().snapshot).not.toBeNull());
    expect(api.subscribe).toHaveBeenCalledBefore(api.getSnapshot);
    api.push({ type: 'events', events: [ev(3)] });
    api.push({ type: 'snapshot', snapshot: makeSnapshot({ generatedAt: 20, currentKey: 'B' }) });
    expect(store.getState().events.map((e) => e.id)).toEqual([1, 2, 3]);
    expect(store.getState().snapshot?.currentKey).toBe('B');
  });

  it('applies a pushed delta onto the snapshot the stream sent, even after a newer load', async () => {
    const api = fakeApi({ snapshot: makeSnapshot({ generatedAt: 30 }) });
    const store = new LiveStore(api);
    store.start();
    const a = makeAccount({ key: 'A', status: 'ok' });
    const b = makeAccount({ key: 'B', status: 'ok' });
    api.push({ type: 'snapshot', snapshot: makeSnapshot({ generatedAt: 20, accounts: [a, b] }) });
    await vi.waitFor(() => expect(store.getState().snapshot?.generatedAt).toBe(30));
    api.push({ type: 'delta', delta: { base: 20, fields: { generatedAt: 40, currentKey: 'B' }, accounts: [{ ...b, status: 'cooling' }], order: null } });
    const snapshot = store.getState().snapshot;
    expect(snapshot?.generatedAt).toBe(40);
    expect(snapshot?.currentKey).toBe('B');
    expect(snapshot?.accounts.map((x) => [x.key, x.status])).toEqual([['A', 'ok'], ['B', 'cooling']]);
    expect(snapshot?.accounts[0]).toBe(a);
    // A delta onto a snapshot this store does not hold: load the whole snapshot instead.
    const loads = api.getSnapshot.mock.calls.length;
    api.push({ type: 'delta', delta: { base: 999, fields: { generatedAt: 50 }, accounts: [], order: null } });
    expect(api.getSnapshot.mock.calls.length).toBe(loads + 1);
    expect(store.getState().snapshot?.generatedAt).toBe(40);
  });

  it('keeps events ordered by id without duplicates, and at most the limit', async () => {
    const api = fakeApi();
    api.getEvents.mockResolvedValue([ev(2), ev(3)]);
    const store = new LiveStore(api, { eventLimit: 3 });
    store.start();
    api.push({ type: 'events', events: [ev(3)] });
    api.push({ type: 'events', events: [ev(1)] });
    await vi.waitFor(() => expect(store.getState().snapshot).not.toBeNull());
    api.push({ type: 'events', events: [ev(4)] });
    expect(store.getState().events.map((e) => e.id)).toEqual([2, 3, 4]);
  });

  it('does not let a slow first load overwrite a newer pushed snapshot; a new run always wins', async () => {
    let answer!: (s: ReturnType<typeof makeSnapshot>) => void;
    const api = fakeApi();
    api.getSnapshot.mockReturnValue(new Promise((resolve) => (answer = resolve)));
    const store = new LiveStore(api);
    store.start();
    api.push({ type: 'snapshot', snapshot: makeSnapshot({ generatedAt: 50, currentKey: 'pushed' }) });
    answer(makeSnapshot({ generatedAt: 40, currentKey: 'loaded' }));
    await vi.waitFor(() => expect(api.getEvents).toHaveBeenCalled());
    await Promise.resolve();
    expect(store.getState().snapshot?.currentKey).toBe('pushed');
    api.push({ type: 'snapshot', snapshot: makeSnapshot({ startId: 'run3', generatedAt: 1, currentKey: 'restarted' }) });
    expect(store.getState().snapshot?.currentKey).toBe('restarted');
  });

  it('keeps the first load’s failure in plain words', async () => {
    const api = fakeApi();
    api.getSnapshot.mockRejectedValue(new Error('Cannot reach Switchyard at http://127.0.0.1:4000.'));
    const store = new LiveStore(api);
    store.start();
    await vi.waitFor(() => expect(store.getState().loadError).toBe('Cannot reach Switchyard at http://127.0.0.1:4000.'));
  });

  it('fetches events again after the live stream reconnects', async () => {
    const api = fakeApi();
    let report!: (s: { state: 'open' } | { state: 'retrying'; retryAt: number; reason: string }) => void;
    const connectionAware = Object.assign(api, {
      onConnectionChange: (listener: typeof report) => {
        report = listener;
        return () => undefined;
      },
    });
    const store = new LiveStore(connectionAware);
    store.start();
    await vi.waitFor(() => expect(api.getEvents).toHaveBeenCalledTimes(1));
    report({ state: 'open' });
    expect(api.getEvents).toHaveBeenCalledTimes(1);
    report({ state: 'retrying', retryAt: 1, reason: 'Lost the connection to Switchyard.' });
    expect(store.getState().connection).toMatchObject({ state: 'retrying' });
    api.getEvents.mockResolvedValue([ev(9)]);
    report({ state: 'open' });
    await vi.waitFor(() => expect(store.getState().events.map((e) => e.id)).toEqual([9]));
  });
});

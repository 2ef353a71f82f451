import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from '../app/test-support/electron-fake';
import { INVOKE_CHANNELS, PRELOAD_GLOBAL, PUSH_CHANNELS } from '../../shared/ipc';
import type { PushMessage, SwitchyardApi } from '../../shared/api';
import { buildApi } from './index';

vi.mock('electron', () => import('../app/test-support/electron-fake'));

// Importing the preload exposed the API once, as it does in a real renderer.
const exposedAtLoad = { ...fake.contextBridge.exposed };

async function loadPreload(): Promise<SwitchyardApi> {
  return buildApi();
}

describe('preload', () => {
  beforeEach(() => fake.resetElectronFake());

  it('exposes exactly the named API methods as window.switchyard, nothing generic', async () => {
    expect(Object.keys(exposedAtLoad)).toEqual([PRELOAD_GLOBAL]);
    const api = exposedAtLoad[PRELOAD_GLOBAL] as SwitchyardApi;
    const expected = [...Object.keys(INVOKE_CHANNELS), 'subscribe'].sort();
    expect(Object.keys(api).sort()).toEqual(expected);
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    expect(api).not.toHaveProperty('invoke');
  });

  it('invokes the mapped channel with the arguments and unwraps the reply', async () => {
    const api = await loadPreload();
    fake.ipcRenderer.responder = (channel) =>
      channel === INVOKE_CHANNELS.reset ? { ok: true, value: { cleared: 3 } } : { ok: false, error: 'nope' };
    await expect(api.reset({ account: 'GITHUB_TOKEN2' })).resolves.toEqual({ cleared: 3 });
    expect(fake.ipcRenderer.invocations).toEqual([{ channel: INVOKE_CHANNELS.reset, args: [{ account: 'GITHUB_TOKEN2' }] }]);
  });

  it('turns an error reply into a thrown Error carrying the plain words', async () => {
    const api = await loadPreload();
    fake.ipcRenderer.responder = () => ({ ok: false, error: 'Port 4000 is already in use' });
    await expect(api.startProxy()).rejects.toThrow('Port 4000 is already in use');
  });

  it('subscribe delivers pushes without the IPC event and unsubscribes cleanly', async () => {
    const api = await loadPreload();
    const got: PushMessage[] = [];
    const seenArgs: number[] = [];
    const unsubscribe = api.subscribe((...args: PushMessage[]) => {
      got.push(args[0]!);
      seenArgs.push(args.length);
    });
    const event = { type: 'events', events: [{ id: 1, ts: 5, startId: 's', kind: 'stopped' }] } as const;
    fake.ipcRenderer.emit(PUSH_CHANNELS.events, { sender: 'secret-ipc-object' }, event);
    fake.ipcRenderer.emit(PUSH_CHANNELS.snapshot, { sender: 'x' }, { type: 'snapshot', snapshot: { version: '1' } });
    expect(got).toEqual([event, { type: 'snapshot', snapshot: { version: '1' } }]);
    expect(JSON.stringify(got)).not.toContain('secret-ipc-object');
    expect(seenArgs).toEqual([1, 1]);

    unsubscribe();
    expect(fake.ipcRenderer.listenerCount(PUSH_CHANNELS.events)).toBe(0);
    expect(fake.ipcRenderer.listenerCount(PUSH_CHANNELS.snapshot)).toBe(0);
    fake.ipcRenderer.emit(PUSH_CHANNELS.events, {}, event);
    expect(got).toHaveLength(2);
  });

  it('ignores a push whose payload does not match its channel', async () => {
    const api = await loadPreload();
    const got: PushMessage[] = [];
    api.subscribe((m) => got.push(m));
    fake.ipcRenderer.emit(PUSH_CHANNELS.snapshot, {}, { type: 'events', events: [] });
    expect(got).toEqual([]);
  });
});

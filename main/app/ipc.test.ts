import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from './test-support/electron-fake';
import { FakeEngine } from './test-support/fake-engine';
import { makeAccount, makeSnapshot } from './test-support/snapshots';
import { REFUSED_SENDER, setupIpc } from './ipc';
import { WindowManager } from './window';
import { INVOKE_CHANNELS, PUSH_CHANNELS } from '../../shared/ipc';

vi.mock('electron', () => import('./test-support/electron-fake'));

const TOKEN = 'gho_16C7e42F292c6912E7710c838347Ae178B4aXq';
const NEW_TOKEN = 'github_pat_11ABCDEFG0123456789_zyx4d9U';

function setup() {
  const engine = new FakeEngine();
  const windows = new WindowManager({ preloadPath: '/app/dist/preload/index.cjs', rendererIndex: '/app/dist/renderer/index.html' });
  const win = windows.show('dashboard') as unknown as fake.BrowserWindow;
  const secrets = [TOKEN];
  const warnings: string[] = [];
  const dispose = setupIpc({ engine, windows, secrets: () => secrets, warn: (m) => void warnings.push(m) });
  const trusted = { sender: win.webContents, senderFrame: win.webContents.mainFrame };
  const invoke = (channel: string, ...args: unknown[]) => fake.ipcMain.invoke(channel, trusted, ...args);
  return { engine, windows, win, trusted, invoke, dispose, warnings, secrets };
}

describe('IPC handlers', () => {
  beforeEach(() => fake.resetElectronFake());

  it('registers one handler per channel of the shared map', () => {
    setup();
    expect([...fake.ipcMain.handlers.keys()].sort()).toEqual(Object.values(INVOKE_CHANNELS).sort());
  });

  it('answers our own window', async () => {
    const { engine, invoke } = setup();
    engine.current = makeSnapshot({ accounts: [makeAccount({ key: 'GITHUB_TOKEN', login: 'alice' })] });
    expect(await invoke(INVOKE_CHANNELS.getSnapshot)).toEqual({ ok: true, value: engine.current });
    expect(await invoke(INVOKE_CHANNELS.reset, { account: 'GITHUB_TOKEN' })).toEqual({ ok: true, value: { cleared: 1 } });
    expect(engine.reset).toHaveBeenCalledWith({ account: 'GITHUB_TOKEN' });
  });

  it('still answers after an in-page route change (#/settings)', async () => {
    const { windows, invoke } = setup();
    windows.show('settings');
    expect(await invoke(INVOKE_CHANNELS.getSettings)).toMatchObject({ ok: true });
  });

  it('refuses foreign senders without calling the engine', async () => {
    const { engine, win } = setup();
    const stranger = new fake.BrowserWindow();
    void stranger.loadFile('/app/dist/renderer/index.html');
    const evilFrame = new fake.FakeWebFrame('https://evil.example/');
    const subFrame = new fake.FakeWebFrame('file:///app/dist/renderer/index.html');
    subFrame.parent = win.webContents.mainFrame;
    const senders = [
      { sender: stranger.webContents, senderFrame: stranger.webContents.mainFrame },
      { sender: win.webContents, senderFrame: evilFrame },
      { sender: win.webContents, senderFrame: subFrame },
      { sender: win.webContents, senderFrame: null },
      { sender: { id: 999 }, senderFrame: win.webContents.mainFrame },
    ];
    for (const event of senders) {
      expect(await fake.ipcMain.invoke(INVOKE_CHANNELS.stopProxy, event)).toEqual({ ok: false, error: REFUSED_SENDER });
      expect(await fake.ipcMain.invoke(INVOKE_CHANNELS.getSnapshot, event)).toEqual({ ok: false, error: REFUSED_SENDER });
    }
    expect(engine.stopProxy).not.toHaveBeenCalled();
    expect(engine.snapshot).not.toHaveBeenCalled();
  });

  it('refuses a window that has been closed', async () => {
    const { engine, win, trusted } = setup();
    win.destroy();
    expect(await fake.ipcMain.invoke(INVOKE_CHANNELS.startProxy, trusted)).toEqual({ ok: false, error: REFUSED_SENDER });
    expect(engine.startProxy).not.toHaveBeenCalled();
  });

  it('refuses bad input in plain words, before the engine', async () => {
    const { engine, invoke } = setup();
    const port = await invoke(INVOKE_CHANNELS.updateSettings, { port: 'four thousand' });
    expect(port).toEqual({ ok: false, error: 'Invalid input for updateSettings: port: Invalid input: expected number, received string' });
    expect(await invoke(INVOKE_CHANNELS.updateSettings, { port: 70_000 })).toMatchObject({ ok: false, error: expect.stringContaining('port: Too big') });
    expect(await invoke(INVOKE_CHANNELS.updateSettings, { accounts: [] })).toMatchObject({ ok: false });
    expect(await invoke(INVOKE_CHANNELS.addAccount, { token: 'x', admin: true })).toMatchObject({ ok: false });
    expect(await invoke(INVOKE_CHANNELS.removeAccount, '../../etc/passwd')).toMatchObject({ ok: false });
    expect(await invoke(INVOKE_CHANNELS.reset, { account: 'GITHUB_TOKEN', everything: true })).toMatchObject({ ok: false });
    expect(await invoke(INVOKE_CHANNELS.stopProxy, 'extra')).toMatchObject({ ok: false });
    expect(await invoke(INVOKE_CHANNELS.getEvents, { kind: 'not-a-kind' })).toMatchObject({ ok: false });
    expect(engine.updateSettings).not.toHaveBeenCalled();
    expect(engine.addAccount).not.toHaveBeenCalled();
    expect(engine.removeAccount).not.toHaveBeenCalled();
    expect(engine.reset).not.toHaveBeenCalled();
    expect(engine.stopProxy).not.toHaveBeenCalled();
    expect(engine.getEvents).not.toHaveBeenCalled();
  });

  it('forwards exactly the fields given (a partial patch gets no defaults)', async () => {
    const { engine, invoke } = setup();
    await invoke(INVOKE_CHANNELS.updateSettings, { port: 5000, notifications: { rotation: false } });
    expect(engine.updateSettings).toHaveBeenCalledWith({ port: 5000, notifications: { rotation: false } });
    // Not even an `undefined` key: the engine merges what it receives over the current settings.
    const patch = engine.updateSettings.mock.calls[0]![0];
    expect(Object.keys(patch)).toEqual(['port', 'notifications']);
    expect(Object.keys(patch.notifications!)).toEqual(['rotation']);
    await invoke(INVOKE_CHANNELS.getEvents);
    expect(engine.getEvents).toHaveBeenCalledWith();
  });

  it('returns engine errors in plain words', async () => {
    const { engine, invoke } = setup();
    engine.startProxy.mockRejectedValueOnce(new Error('Port 4000 is already in use'));
    expect(await invoke(INVOKE_CHANNELS.startProxy)).toEqual({ ok: false, error: 'Port 4000 is already in use' });
  });

  it('never sends a token to the renderer: replies, errors and pushes are redacted', async () => {
    const { engine, invoke, win, warnings } = setup();
    engine.addAccount.mockResolvedValueOnce({ ok: false, code: 'invalid_token', message: `Token ${NEW_TOKEN} was rejected` } as never);
    const reply = await invoke(INVOKE_CHANNELS.addAccount, { token: NEW_TOKEN });
    expect(engine.addAccount).toHaveBeenCalledWith({ token: NEW_TOKEN });
    expect(JSON.stringify(reply)).not.toContain(NEW_TOKEN);
    expect(reply).toEqual({ ok: true, value: { ok: false, code: 'invalid_token', message: 'Token gith…9U was rejected' } });

    engine.removeAccount.mockRejectedValueOnce(new Error(`cannot remove ${TOKEN}`));
    const failed = await invoke(INVOKE_CHANNELS.removeAccount, 'GITHUB_TOKEN');
    expect(failed).toEqual({ ok: false, error: 'cannot remove gho_…Xq' });
    expect(warnings.join('\n')).not.toContain(TOKEN);

    engine.emitSnapshot(makeSnapshot({ accounts: [makeAccount({ key: 'GITHUB_TOKEN', statusReason: `bad ${TOKEN}` })] }));
    engine.emitEvent({ id: 1, ts: 1, startId: 's', kind: 'account-invalid', account: 'GITHUB_TOKEN', login: null, reason: TOKEN });
    // Events ride the next snapshot push (or go alone after EVENT_FLUSH_MS).
    engine.emitSnapshot(makeSnapshot({ generatedAt: 2 }));
    expect(win.webContents.sent.map((s) => s.channel)).toEqual([PUSH_CHANNELS.snapshot, PUSH_CHANNELS.events, PUSH_CHANNELS.snapshot]);
    expect(JSON.stringify(win.webContents.sent)).not.toContain(TOKEN);
    expect(JSON.stringify(win.webContents.sent)).toContain('gho_…Xq');
  });

  it('pushes snapshots and events to the window as they happen', () => {
    const { engine, win } = setup();
    const snap = makeSnapshot({ generatedAt: 42 });
    engine.emitSnapshot(snap);
    expect(win.webContents.sent).toEqual([{ channel: PUSH_CHANNELS.snapshot, args: [{ type: 'snapshot', snapshot: snap }] }]);
    win.destroy();
    expect(() => engine.emitSnapshot(snap)).not.toThrow();
  });

  it('dispose removes the handlers and stops pushing', () => {
    const { engine, dispose } = setup();
    dispose();
    expect(fake.ipcMain.handlers.size).toBe(0);
    expect(engine.listenerCount).toBe(0);
  });
});

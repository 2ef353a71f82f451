import { describe, expect, it, vi } from 'vitest';
import { fakeApi } from '../test-support/fake-api';
import { createIpcTransport } from './ipc-transport';

describe('ipc transport', () => {
  it('passes calls and subscriptions straight to the preload bridge', async () => {
    const bridge = fakeApi();
    const api = createIpcTransport(bridge);
    await api.reset({ account: 'A', model: 'gpt-4o' });
    expect(bridge.reset).toHaveBeenCalledWith({ account: 'A', model: 'gpt-4o' });
    const listener = vi.fn();
    const stop = api.subscribe(listener);
    bridge.push({ type: 'events', events: [{ id: 1, ts: 1, startId: 's', kind: 'stopped' }] });
    expect(listener).toHaveBeenCalledTimes(1);
    stop();
    bridge.push({ type: 'events', events: [{ id: 2, ts: 2, startId: 's', kind: 'stopped' }] });
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('unwraps the errors Electron wraps around IPC handler failures', async () => {
    const bridge = fakeApi();
    bridge.removeAccount.mockRejectedValue(new Error("Error invoking remote method 'accounts:remove': Error: There is no account GITHUB_TOKEN9."));
    const api = createIpcTransport(bridge);
    await expect(api.removeAccount('GITHUB_TOKEN9')).rejects.toThrow(/^There is no account GITHUB_TOKEN9\.$/);
  });
});

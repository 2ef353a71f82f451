import { contextBridge, ipcRenderer } from 'electron';
import type { PushMessage, SwitchyardApi } from '../../shared/api';
import {
  INVOKE_CHANNELS,
  INVOKE_METHODS,
  PRELOAD_GLOBAL,
  PUSH_CHANNELS,
  type InvokeMethod,
  type IpcReply,
  type PushType,
} from '../../shared/ipc';

/**
 * Sandboxed preload (bundled to CommonJS as dist/preload/index.cjs). Exposes exactly the
 * SwitchyardApi as `window.switchyard`: one named method per channel of INVOKE_CHANNELS and
 * `subscribe` for pushes. No generic invoke, and no IpcRendererEvent ever reaches the page.
 */

type Invokers = { [M in InvokeMethod]: SwitchyardApi[M] };

function invoker(method: InvokeMethod) {
  const channel = INVOKE_CHANNELS[method];
  return async (...args: unknown[]): Promise<unknown> => {
    const reply = (await ipcRenderer.invoke(channel, ...args)) as IpcReply<unknown>;
    if (!reply.ok) throw new Error(reply.error);
    return reply.value;
  };
}

export function buildApi(): SwitchyardApi {
  const invokers = Object.fromEntries(INVOKE_METHODS.map((m) => [m, invoker(m)])) as unknown as Invokers;
  const subscribe = (listener: (message: PushMessage) => void): (() => void) => {
    const entries = (Object.keys(PUSH_CHANNELS) as PushType[]).map((type) => {
      const channel = PUSH_CHANNELS[type];
      // Only the payload crosses: the IpcRendererEvent (which exposes ipcRenderer) stays here.
      const handler = (_event: unknown, message: PushMessage) => {
        if (message && message.type === type) listener(message);
      };
      ipcRenderer.on(channel, handler);
      return { channel, handler };
    });
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      for (const { channel, handler } of entries) ipcRenderer.removeListener(channel, handler);
    };
  };
  return { ...invokers, subscribe };
}

contextBridge.exposeInMainWorld(PRELOAD_GLOBAL, buildApi());

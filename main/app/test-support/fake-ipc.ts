import { EventEmitter } from 'node:events';
import type { FakeWebFrame } from './fake-windows';

type Listener = (...args: any[]) => unknown;

class FakeIpcMain extends EventEmitter {
  handlers = new Map<string, Listener>();
  handle(channel: string, handler: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** Test helper: what ipcRenderer.invoke does, from a given sender, with structured-clone. */
  async invoke(channel: string, event: { sender: unknown; senderFrame: FakeWebFrame | null }, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return structuredClone(await handler(event, ...structuredClone(args)));
  }
}

class FakeIpcRenderer extends EventEmitter {
  invocations: { channel: string; args: unknown[] }[] = [];
  responder: (channel: string, args: unknown[]) => unknown = () => ({ ok: true, value: undefined });
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invocations.push({ channel, args });
    return structuredClone(await this.responder(channel, args));
  }
}

export const contextBridge = {
  exposed: {} as Record<string, unknown>,
  exposeInMainWorld(key: string, api: unknown): void {
    if (key in contextBridge.exposed) throw new Error(`Cannot bind an API on top of an existing property on the window object`);
    contextBridge.exposed[key] = api;
  },
};

export const ipcMain = new FakeIpcMain();
export const ipcRenderer = new FakeIpcRenderer();

import { EventEmitter } from 'node:events';
import { fakeState } from './fake-state';

class FakeDock {
  hidden = 0;
  hide(): void {
    this.hidden += 1;
  }
  show(): Promise<void> {
    return Promise.resolve();
  }
}

class FakeApp extends EventEmitter {
  isPackaged = false;
  dock: FakeDock | undefined = new FakeDock();
  appUserModelId: string | null = null;
  loginItem = { openAtLogin: false, args: [] as string[] };
  quitCalls = 0;
  exitCode: number | null = null;
  appPath = '/fake/app';
  version = '0.1.0';
  private ready = false;
  private resolveReady: () => void = () => undefined;
  private readyPromise = this.newReadyPromise();

  private newReadyPromise(): Promise<void> {
    return new Promise<void>((resolve) => (this.resolveReady = resolve));
  }
  reset(): void {
    this.removeAllListeners();
    this.isPackaged = false;
    this.dock = new FakeDock();
    this.appUserModelId = null;
    this.loginItem = { openAtLogin: false, args: [] };
    this.quitCalls = 0;
    this.exitCode = null;
    this.ready = false;
    this.readyPromise = this.newReadyPromise();
  }
  /** Test helper: what Electron does once it is initialised. */
  becomeReady(): void {
    this.ready = true;
    this.resolveReady();
    this.emit('ready', {}, {});
  }
  isReady(): boolean {
    return this.ready;
  }
  whenReady(): Promise<void> {
    return this.readyPromise;
  }
  requestSingleInstanceLock(): boolean {
    return fakeState.singleInstanceLock;
  }
  getPath(name: string): string {
    const p = fakeState.paths[name];
    if (p === undefined) throw new Error(`fake app.getPath: unexpected key '${name}'`);
    return p;
  }
  setPath(name: string, value: string): void {
    if (this.ready && name === 'userData') throw new Error('fake app.setPath: userData must be set before ready');
    fakeState.paths[name] = value;
  }
  getAppPath(): string {
    return this.appPath;
  }
  getVersion(): string {
    return this.version;
  }
  getName(): string {
    return 'Switchyard';
  }
  setAppUserModelId(id: string): void {
    this.appUserModelId = id;
  }
  setLoginItemSettings(settings: { openAtLogin?: boolean; args?: string[] }): void {
    this.loginItem = { openAtLogin: settings.openAtLogin ?? false, args: settings.args ?? [] };
  }
  getLoginItemSettings(): { openAtLogin: boolean } {
    return { openAtLogin: this.loginItem.openAtLogin };
  }
  /** Like Electron: 'before-quit' can be prevented; otherwise 'will-quit' then 'quit'. */
  quit(): void {
    this.quitCalls += 1;
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (prevented) return;
    this.emit('will-quit', { preventDefault: () => undefined });
    this.emit('quit', {}, 0);
  }
  exit(code = 0): void {
    this.exitCode = code;
  }
}

export const app = new FakeApp();

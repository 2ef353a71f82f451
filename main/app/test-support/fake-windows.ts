import { EventEmitter } from 'node:events';
import { app } from './fake-app';

type Listener = (...args: any[]) => unknown;

export class FakeWebFrame {
  parent: FakeWebFrame | null = null;
  constructor(public url: string) {}
}

let webContentsIds = 0;
export class FakeWebContents extends EventEmitter {
  readonly id = ++webContentsIds;
  sent: { channel: string; args: unknown[] }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  mainFrame = new FakeWebFrame('');
  destroyed = false;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('fake WebContents: send after destroy');
    // Electron serialises with the structured clone algorithm: functions would throw.
    this.sent.push({ channel, args: structuredClone(args) });
  }
  getURL(): string {
    return this.mainFrame.url;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** Test helper: emit will-navigate and tell whether a listener prevented it. */
  navigate(url: string): boolean {
    let prevented = false;
    this.emit('will-navigate', { url, preventDefault: () => (prevented = true) }, url);
    return prevented;
  }
}

export class BrowserWindow extends EventEmitter {
  static instances: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  visible = false;
  focused = 0;
  minimized = false;
  destroyed = false;
  loaded: { file: string; hash?: string }[] = [];
  constructor(readonly options: Record<string, any> = {}) {
    super();
    BrowserWindow.instances.push(this);
    if (options.show !== false) this.visible = true;
    app.emit('web-contents-created', {}, this.webContents);
  }
  static fromWebContents(wc: unknown): BrowserWindow | null {
    return BrowserWindow.instances.find((w) => w.webContents === wc && !w.destroyed) ?? null;
  }
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.instances.filter((w) => !w.destroyed);
  }
  async loadFile(file: string, options: { hash?: string } = {}): Promise<void> {
    this.loaded.push({ file, ...options });
    const url = `file://${file.startsWith('/') ? '' : '/'}${file.replaceAll('\\', '/')}`;
    this.webContents.mainFrame.url = options.hash ? `${url}#${options.hash}` : url;
    this.emit('ready-to-show');
  }
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  focus(): void {
    this.focused += 1;
  }
  isVisible(): boolean {
    return this.visible;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  close(): void {
    this.destroy();
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

export const session = {
  defaultSession: {
    headersHandler: null as Listener | null,
    permissionHandler: null as Listener | null,
    webRequest: {
      onHeadersReceived(handler: Listener): void {
        session.defaultSession.headersHandler = handler;
      },
    },
    setPermissionRequestHandler(handler: Listener): void {
      session.defaultSession.permissionHandler = handler;
    },
  },
};

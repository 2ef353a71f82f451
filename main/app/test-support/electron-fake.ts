import { EventEmitter } from 'node:events';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * A faithful, small stand-in for the parts of `electron` the shell uses, for tests under plain
 * Node: `vi.mock('electron', () => import('./test-support/electron-fake'))` and
 * `resetElectronFake()` in beforeEach. Objects keep their identity across resets (modules hold
 * live imports of them); only their state is cleared.
 */

type Listener = (...args: any[]) => unknown;

export const fakeState = {
  singleInstanceLock: true,
  paths: {} as Record<string, string>,
  notificationsSupported: true,
  encryptionAvailable: true,
  storageBackend: 'gnome_libsecret' as string,
  shouldReEncrypt: false,
  dialogResponse: 0,
  key: randomBytes(32),
};

// ---------- app ----------
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

// ---------- images, menus, tray ----------
export class FakeNativeImage {
  constructor(readonly path: string | null) {}
  isEmpty(): boolean {
    return this.path === null;
  }
  setTemplateImage(): void {}
}

export const nativeImage = {
  createFromPath: (p: string) => new FakeNativeImage(p),
  createEmpty: () => new FakeNativeImage(null),
};

export interface FakeMenuItemOptions {
  label?: string;
  type?: string;
  enabled?: boolean;
  checked?: boolean;
  click?: (...args: unknown[]) => void;
  submenu?: FakeMenuItemOptions[];
}

export class Menu {
  constructor(readonly template: FakeMenuItemOptions[]) {}
  static built: Menu[] = [];
  static buildFromTemplate(template: FakeMenuItemOptions[]): Menu {
    const menu = new Menu(template);
    Menu.built.push(menu);
    return menu;
  }
  /** Test helper: a top-level or nested item by its exact label. */
  find(label: string): FakeMenuItemOptions | undefined {
    const walk = (items: FakeMenuItemOptions[]): FakeMenuItemOptions | undefined => {
      for (const item of items) {
        if (item.label === label) return item;
        const inner = item.submenu ? walk(item.submenu) : undefined;
        if (inner) return inner;
      }
      return undefined;
    };
    return walk(this.template);
  }
}

export class Tray extends EventEmitter {
  static instances: Tray[] = [];
  menus: Menu[] = [];
  tooltips: string[] = [];
  images: unknown[] = [];
  destroyed = false;
  constructor(readonly image: unknown) {
    super();
    Tray.instances.push(this);
  }
  private alive(): void {
    if (this.destroyed) throw new Error('fake Tray: used after destroy');
  }
  setContextMenu(menu: Menu | null): void {
    this.alive();
    if (menu) this.menus.push(menu);
  }
  setToolTip(text: string): void {
    this.alive();
    this.tooltips.push(text);
  }
  setImage(image: unknown): void {
    this.alive();
    this.images.push(image);
  }
  destroy(): void {
    this.destroyed = true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  get menu(): Menu | undefined {
    return this.menus.at(-1);
  }
}

// ---------- notifications ----------
export class Notification extends EventEmitter {
  static shown: { title: string; body: string }[] = [];
  constructor(readonly options: { title: string; body?: string }) {
    super();
  }
  static isSupported(): boolean {
    return fakeState.notificationsSupported;
  }
  show(): void {
    Notification.shown.push({ title: this.options.title, body: this.options.body ?? '' });
  }
}

// ---------- safeStorage: real AES-GCM under a per-test key ----------
export const safeStorage = {
  async isAsyncEncryptionAvailable(): Promise<boolean> {
    return fakeState.encryptionAvailable;
  },
  getSelectedStorageBackend(): string {
    return fakeState.storageBackend;
  },
  async encryptStringAsync(plainText: string): Promise<Buffer> {
    if (!fakeState.encryptionAvailable) throw new Error('Encryption is not available.');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', fakeState.key, iv);
    const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from('v10'), iv, cipher.getAuthTag(), body]);
  },
  async decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }> {
    if (encrypted.subarray(0, 3).toString() !== 'v10') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    const iv = encrypted.subarray(3, 15);
    const tag = encrypted.subarray(15, 31);
    const decipher = createDecipheriv('aes-256-gcm', fakeState.key, iv);
    decipher.setAuthTag(tag);
    const result = Buffer.concat([decipher.update(encrypted.subarray(31)), decipher.final()]).toString('utf8');
    return { result, shouldReEncrypt: fakeState.shouldReEncrypt };
  },
};

// ---------- windows ----------
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

// ---------- IPC ----------
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

export const shell = {
  opened: [] as string[],
  external: [] as string[],
  async openPath(p: string): Promise<string> {
    shell.opened.push(p);
    return '';
  },
  async openExternal(url: string): Promise<void> {
    shell.external.push(url);
  },
};

export const clipboard = {
  text: '',
  writeText(text: string): void {
    clipboard.text = text;
  },
  readText(): string {
    return clipboard.text;
  },
};

export const dialog = {
  shown: [] as { message: string; detail?: string; buttons?: string[] }[],
  async showMessageBox(...args: any[]): Promise<{ response: number; checkboxChecked: boolean }> {
    const options = args.length > 1 ? args[1] : args[0];
    dialog.shown.push(options);
    return { response: fakeState.dialogResponse, checkboxChecked: false };
  },
};

export const app = new FakeApp();
export const ipcMain = new FakeIpcMain();
export const ipcRenderer = new FakeIpcRenderer();

export function resetElectronFake(): void {
  Object.assign(fakeState, {
    singleInstanceLock: true,
    paths: {},
    notificationsSupported: true,
    encryptionAvailable: true,
    storageBackend: 'gnome_libsecret',
    shouldReEncrypt: false,
    dialogResponse: 0,
    key: randomBytes(32),
  });
  app.reset();
  Menu.built = [];
  Tray.instances = [];
  Notification.shown = [];
  BrowserWindow.instances = [];
  session.defaultSession.headersHandler = null;
  session.defaultSession.permissionHandler = null;
  ipcMain.removeAllListeners();
  ipcMain.handlers.clear();
  ipcRenderer.removeAllListeners();
  ipcRenderer.invocations = [];
  ipcRenderer.responder = () => ({ ok: true, value: undefined });
  contextBridge.exposed = {};
  shell.opened = [];
  shell.external = [];
  clipboard.text = '';
  dialog.shown = [];
}

const electron = {
  app,
  BrowserWindow,
  Menu,
  Tray,
  Notification,
  safeStorage,
  session,
  ipcMain,
  ipcRenderer,
  contextBridge,
  shell,
  clipboard,
  nativeImage,
  dialog,
};
export default electron;

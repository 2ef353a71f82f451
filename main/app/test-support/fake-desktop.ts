import { EventEmitter } from 'node:events';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { fakeState } from './fake-state';

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

/**
 * A faithful, small stand-in for the parts of `electron` the shell uses, for tests under plain
 * Node: `vi.mock('electron', () => import('./test-support/electron-fake'))` and
 * `resetElectronFake()` in beforeEach. Objects keep their identity across resets (modules hold
 * live imports of them); only their state is cleared.
 */

import { randomBytes } from 'node:crypto';
import { fakeState } from './fake-state';
import { app } from './fake-app';
import { BrowserWindow, session } from './fake-windows';
import { Menu, Notification, Tray, clipboard, dialog, nativeImage, safeStorage, shell } from './fake-desktop';
import { contextBridge, ipcMain, ipcRenderer } from './fake-ipc';

export { fakeState } from './fake-state';
export { app } from './fake-app';
export { BrowserWindow, FakeWebContents, FakeWebFrame, session } from './fake-windows';
export { FakeNativeImage, Menu, Notification, Tray, clipboard, dialog, nativeImage, safeStorage, shell, type FakeMenuItemOptions } from './fake-desktop';
export { contextBridge, ipcMain, ipcRenderer } from './fake-ipc';

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

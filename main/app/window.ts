import { BrowserWindow, app, session, shell, type Session, type WebContents } from 'electron';
import { pathToFileURL } from 'node:url';
import { PRODUCT_NAME } from './identity';

/**
 * The one window: dashboard and settings are routes (#/dashboard, #/settings) of one renderer
 * loaded from disk. Locked down per Electron's checklist: context isolation, sandbox, no Node,
 * a strict CSP, no navigation, no new windows (GitHub links open in the browser).
 */

export type Route = 'dashboard' | 'settings';

/** Also set by the renderer's own <meta> (file:// responses carry no headers). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https://avatars.githubusercontent.com",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

const EXTERNAL_HOSTS = new Set(['github.com', 'docs.github.com']);

/** Only https links to GitHub's own pages may leave the app (to the user's browser). */
export function isAllowedExternal(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && EXTERNAL_HOSTS.has(u.hostname) && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

export function stripHash(url: string): string {
  const i = url.indexOf('#');
  return i === -1 ? url : url.slice(0, i);
}

/** CSP on every response and no permission (camera, notifications, …) for any page. */
export function hardenSession(ses: Session = session.defaultSession): void {
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
}

const hardened = new WeakSet<WebContents>();

/** No navigation away, no new windows, no <webview>, for any web contents the app creates. */
export function hardenWebContents(contents: WebContents): void {
  if (hardened.has(contents)) return;
  hardened.add(contents);
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

export interface WindowPaths {
  preloadPath: string;
  rendererIndex: string;
  iconPath?: string;
}

export class WindowManager {
  private main: BrowserWindow | null = null;
  private route: Route | null = null;
  /** The renderer's URL without fragment: the only origin allowed to call IPC. */
  readonly rendererUrl: string;

  constructor(private readonly paths: WindowPaths) {
    this.rendererUrl = pathToFileURL(paths.rendererIndex).href;
  }

  show(route: Route = 'dashboard'): BrowserWindow {
    const existing = this.main;
    if (existing && !existing.isDestroyed()) {
      if (existing.isMinimized()) existing.restore();
      if (this.route !== route) this.load(existing, route);
      existing.show();
      existing.focus();
      return existing;
    }
    const win = new BrowserWindow({
      width: 1100,
      height: 760,
      minWidth: 720,
      minHeight: 520,
      show: false,
      title: PRODUCT_NAME,
      autoHideMenuBar: true,
      ...(this.paths.iconPath ? { icon: this.paths.iconPath } : {}),
      webPreferences: {
        preload: this.paths.preloadPath,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        navigateOnDragDrop: false,
        spellcheck: false,
      },
    });
    hardenWebContents(win.webContents);
    win.once('ready-to-show', () => {
      win.show();
      win.focus();
    });
    win.on('closed', () => {
      if (this.main === win) {
        this.main = null;
        this.route = null;
      }
    });
    this.main = win;
    this.load(win, route);
    return win;
  }

  owns(win: BrowserWindow | null): boolean {
    return win !== null && win === this.main && !win.isDestroyed();
  }

  all(): BrowserWindow[] {
    return this.main && !this.main.isDestroyed() ? [this.main] : [];
  }

  closeAll(): void {
    this.main?.destroy();
    this.main = null;
  }

  private load(win: BrowserWindow, route: Route): void {
    this.route = route;
    void win.loadFile(this.paths.rendererIndex, { hash: `/${route}` });
  }
}

export function setupWindows(paths: WindowPaths): WindowManager {
  hardenSession();
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  return new WindowManager(paths);
}

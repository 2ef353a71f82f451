import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from './test-support/electron-fake';
import { CONTENT_SECURITY_POLICY, isAllowedExternal, setupWindows } from './window';

vi.mock('electron', () => import('./test-support/electron-fake'));

const paths = { preloadPath: '/app/dist/preload/index.cjs', rendererIndex: '/app/dist/renderer/index.html' };

describe('window', () => {
  beforeEach(() => fake.resetElectronFake());

  it('creates a locked-down window on the dashboard route', () => {
    const windows = setupWindows(paths);
    const win = windows.show() as unknown as fake.BrowserWindow;
    expect(win.options.webPreferences).toMatchObject({
      preload: paths.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(win.loaded).toEqual([{ file: paths.rendererIndex, hash: '/dashboard' }]);
    expect(win.isVisible()).toBe(true);
    expect(windows.rendererUrl).toBe('file:///app/dist/renderer/index.html');
  });

  it('reuses the window: showing settings routes it and brings it forward', () => {
    const windows = setupWindows(paths);
    const win = windows.show('dashboard') as unknown as fake.BrowserWindow;
    win.minimized = true;
    win.hide();
    const again = windows.show('settings') as unknown as fake.BrowserWindow;
    expect(again).toBe(win);
    expect(fake.BrowserWindow.instances).toHaveLength(1);
    expect(win.loaded.at(-1)).toEqual({ file: paths.rendererIndex, hash: '/settings' });
    expect(win.minimized).toBe(false);
    expect(win.isVisible()).toBe(true);
    windows.show('settings');
    expect(win.loaded).toHaveLength(2);
  });

  it('a closed window is forgotten and the next show creates a new one', () => {
    const windows = setupWindows(paths);
    const first = windows.show();
    first.close();
    expect(windows.all()).toEqual([]);
    expect(windows.owns(first)).toBe(false);
    const second = windows.show();
    expect(second).not.toBe(first);
    expect(windows.owns(second)).toBe(true);
  });

  it('prevents navigation and denies new windows; only GitHub https links go to the browser', () => {
    const windows = setupWindows(paths);
    const win = windows.show() as unknown as fake.BrowserWindow;
    expect(win.webContents.navigate('https://evil.example/')).toBe(true);
    expect(win.webContents.navigate('file:///etc/passwd')).toBe(true);
    const open = win.webContents.windowOpenHandler!;
    expect(open({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(open({ url: 'https://github.com/settings/tokens' })).toEqual({ action: 'deny' });
    expect(open({ url: 'http://github.com/' })).toEqual({ action: 'deny' });
    expect(fake.shell.external).toEqual(['https://github.com/settings/tokens']);
  });

  it('hardens every web contents the app creates, not only ours', () => {
    setupWindows(paths);
    const other = new fake.BrowserWindow();
    expect(other.webContents.navigate('https://evil.example/')).toBe(true);
    expect(other.webContents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });

  it('sets a strict CSP on responses and denies permission requests', () => {
    setupWindows(paths);
    let headers: Record<string, string[]> | undefined;
    fake.session.defaultSession.headersHandler!({ responseHeaders: { 'X-Other': ['1'] } }, (r: { responseHeaders: Record<string, string[]> }) => (headers = r.responseHeaders));
    expect(headers).toEqual({ 'X-Other': ['1'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe');
    let granted: boolean | undefined;
    fake.session.defaultSession.permissionHandler!({}, 'media', (g: boolean) => (granted = g));
    expect(granted).toBe(false);
  });

  it('allows only https GitHub pages as external links', () => {
    expect(isAllowedExternal('https://docs.github.com/en/github-models')).toBe(true);
    expect(isAllowedExternal('https://github.com.evil.example/')).toBe(false);
    expect(isAllowedExternal('https://user:pw@github.com/')).toBe(false);
    expect(isAllowedExternal('javascript:alert(1)')).toBe(false);
    expect(isAllowedExternal('not a url')).toBe(false);
  });
});

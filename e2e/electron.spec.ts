import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './support/paths';

/**
 * The real desktop app, launched with Playwright's Electron driver. Runs wherever an Electron
 * binary exists (and, on Linux, a display: run under `xvfb-run`); skipped with the reason
 * elsewhere — on machines without one the shell is covered by main/app's unit tests over an
 * electron fake. Needs `npm run build` first (dist/app/main.js, dist/preload, dist/renderer).
 */

/** Finds the binary the way scripts/start.mjs does, without triggering the electron package's download. */
function electronBinary(): { path: string } | { reason: string } {
  const pkg = join(ROOT, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  const recorded = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const fallback = process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : process.platform === 'win32' ? 'electron.exe' : 'electron';
  const candidate = process.env.ELECTRON_OVERRIDE_DIST_PATH
    ? join(process.env.ELECTRON_OVERRIDE_DIST_PATH, recorded || fallback)
    : recorded
      ? join(pkg, 'dist', recorded)
      : null;
  if (!candidate) return { reason: 'no Electron binary on this machine: node_modules/electron has never downloaded one and none can be fetched offline' };
  if (!existsSync(candidate)) return { reason: `no Electron binary at ${candidate}` };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return { reason: 'no display: run under xvfb-run' };
  if (!existsSync(join(ROOT, 'dist', 'app', 'main.js'))) return { reason: 'dist/app/main.js is missing: run `npm run build` first' };
  return { path: candidate };
}

const binary = electronBinary();
const hasElectron = 'path' in binary;
test.skip(!hasElectron, `Electron desktop app not tested: ${'reason' in binary ? binary.reason : ''}`);
test.describe.configure({ mode: 'serial' });

const API_METHODS = [
  'addAccount', 'clearApiKey', 'generateApiKey', 'getEvents', 'getSettings', 'getSnapshot', 'importFromGh', 'listAccounts',
  'removeAccount', 'reorderAccounts', 'reset', 'startProxy', 'stopProxy', 'subscribe', 'updateAccount', 'updateSettings',
];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

let app: ElectronApplication;
let dataDir: string;
let port: number;

test.beforeAll(async () => {
  if (!hasElectron || !('path' in binary)) return;
  dataDir = mkdtempSync(join(tmpdir(), 'switchyard-electron-'));
  port = await freePort();
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('GITHUB_TOKEN')) env[k] = v;
  app = await electron.launch({
    executablePath: binary.path,
    args: [ROOT],
    cwd: ROOT,
    env: { ...env, SWITCHYARD_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' },
  });
});

test.afterAll(async () => {
  await app?.close().catch(() => undefined);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('first run opens Settings in a sandboxed window that sees only the typed API', async () => {
  const page = await app.firstWindow();
  await expect(page).toHaveURL(/renderer\/index\.html#\/settings$/);
  const exposed = await page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    const api = w.switchyard as Record<string, unknown>;
    return { keys: Object.keys(api).sort(), require: typeof w.require, process: typeof w.process };
  });
  expect(exposed).toEqual({ keys: API_METHODS, require: 'undefined', process: 'undefined' });

  // The window's webPreferences themselves (contextIsolation, sandbox, nodeIntegration off) are
  // asserted in main/app/window.test.ts; Electron 45 has no API to read them back at run time.
});

test('the engine runs in the app: the API and the proxy answer', async () => {
  const page = await app.firstWindow();
  const snapshot = await page.evaluate(() => (window as unknown as { switchyard: { getSnapshot(): Promise<{ proxy: { status: string; port: number } }> } }).switchyard.getSnapshot());
  expect(snapshot.proxy).toMatchObject({ status: 'running', port });
  const health = await fetch(`http://127.0.0.1:${port}/health`);
  expect(health.status).toBe(200);
});

test('navigation away and new windows are refused', async () => {
  const page = await app.firstWindow();
  const before = page.url();
  const opened = await page.evaluate(() => window.open('https://example.com/') === null);
  expect(opened).toBe(true);
  await page.evaluate(() => {
    window.location.href = 'https://example.com/';
  });
  await expect.poll(() => page.url()).toBe(before);
  expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
});

test('closing the window keeps the app and the proxy running; Quit really quits', async () => {
  const page = await app.firstWindow();
  await page.close();
  await expect.poll(() => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(0);
  expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);

  const closed = app.waitForEvent('close');
  await app.evaluate(({ app: electronApp }) => electronApp.quit());
  await closed;
  await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
});

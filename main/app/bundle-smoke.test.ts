import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { findFreePort } from './free-port';

/**
 * The built desktop app (dist/app/main.js, as Electron would load it) run under plain Node with the
 * electron fake standing in for the `electron` module, over the REAL engine, electron-store and
 * pino-roll: it starts, serves, shows its tray and first-run window, and quits cleanly, saving state.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'app', 'main.js');

const SHIM = `
import * as fake from './electron-fake.mjs';
export * from './electron-fake.mjs';
export default fake.default;
const say = (what, value) => process.stdout.write('[fake-electron] ' + what + ' ' + JSON.stringify(value) + '\\n');
fake.fakeState.paths = { userData: process.env.FAKE_USER_DATA };
fake.app.appPath = process.env.FAKE_APP_PATH;
fake.app.exit = (code) => { say('exit', code); process.exit(code); };
const setToolTip = fake.Tray.prototype.setToolTip;
fake.Tray.prototype.setToolTip = function (text) { setToolTip.call(this, text); say('tooltip', text); };
const loadFile = fake.BrowserWindow.prototype.loadFile;
fake.BrowserWindow.prototype.loadFile = function (file, options) { say('window', { file, hash: options && options.hash }); return loadFile.call(this, file, options); };
setImmediate(() => fake.app.becomeReady());
`;
const HOOKS = `
export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: new URL('./electron.mjs', import.meta.url).href, shortCircuit: true };
  return next(specifier, context);
}
`;

let dir: string;
let child: ChildProcess | null = null;

describe.skipIf(!existsSync(MAIN))('the built main process under the electron fake', () => {
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'switchyard-bundle-'))));
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts the engine, the tray and the first-run window, serves, and quits cleanly on SIGTERM', async () => {
    await build({
      entryPoints: [join(import.meta.dirname, 'test-support', 'electron-fake.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: join(dir, 'electron-fake.mjs'),
      logLevel: 'silent',
    });
    writeFileSync(join(dir, 'electron.mjs'), SHIM);
    writeFileSync(join(dir, 'hooks.mjs'), HOOKS);
    writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`);
    const port = await findFreePort('127.0.0.1');
    const userData = join(dir, 'userData');
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('GITHUB_TOKEN')) env[k] = v;
    child = spawn(process.execPath, ['--import', pathToFileURL(join(dir, 'register.mjs')).href, MAIN], {
      cwd: ROOT,
      env: { ...env, FAKE_USER_DATA: userData, FAKE_APP_PATH: ROOT, PORT: String(port), HOST: '127.0.0.1', GITHUB_MODELS_BASE_URL: 'http://127.0.0.1:9', GITHUB_API_BASE_URL: 'http://127.0.0.1:9' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
    const seen = (needle: string) =>
      new Promise<void>((resolve, reject) => {
        const check = () => out.includes(needle) && resolve();
        child!.stdout!.on('data', (c: Buffer) => {
          out += c.toString();
          check();
        });
        child!.on('exit', () => reject(new Error(`exited before "${needle}"\n${out}\n${err}`)));
        check();
      });

    await seen('[fake-electron] tooltip "Switchyard — no accounts yet"');
    expect(out).toContain(`[fake-electron] window ${JSON.stringify({ file: join(ROOT, 'dist', 'renderer', 'index.html'), hash: '/settings' })}`);
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    expect(existsSync(join(userData, 'settings.json'))).toBe(true);
    expect(existsSync(join(userData, 'logs', 'switchyard.1.log'))).toBe(true);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('[fake-electron] exit 0');
    const log = readFileSync(join(userData, 'logs', 'switchyard.1.log'), 'utf8');
    expect(log).toContain('Switchyard stopped; state saved');
    expect(existsSync(join(userData, 'state.json'))).toBe(true);
  });
});

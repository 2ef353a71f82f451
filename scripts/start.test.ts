import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error: a plain .mjs script without types
import { fallbackLine, findElectron, launchPlan } from './start.mjs';

const ROOT = join(import.meta.dirname, '..');
let dir: string;

function fakeElectronPackage(root: string, binary: string | null, withDist: boolean) {
  const pkg = join(root, 'node_modules', 'electron');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), '{"name":"electron"}');
  if (binary) writeFileSync(join(pkg, 'path.txt'), binary);
  if (binary && withDist) {
    mkdirSync(join(pkg, 'dist'), { recursive: true });
    writeFileSync(join(pkg, 'dist', binary), '');
  }
}

describe('npm start: finding Electron', () => {
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'switchyard-start-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('no electron package', () => {
    expect(findElectron({ root: dir, env: {} })).toEqual({ reason: 'the electron package is not installed' });
  });

  it('the package without its binary (this machine)', () => {
    fakeElectronPackage(dir, null, false);
    expect(findElectron({ root: dir, env: {} })).toEqual({ reason: 'its binary was never downloaded and cannot be fetched offline' });
    fakeElectronPackage(dir, 'electron', false);
    expect(findElectron({ root: dir, env: {} })).toEqual({ reason: 'node_modules/electron/dist/electron is missing' });
  });

  it('a downloaded binary is used', () => {
    fakeElectronPackage(dir, 'electron', true);
    expect(findElectron({ root: dir, env: {} })).toEqual({ path: join(dir, 'node_modules', 'electron', 'dist', 'electron') });
  });

  it('ELECTRON_OVERRIDE_DIST_PATH wins, and is checked', () => {
    const dist = join(dir, 'electron-dist');
    expect(findElectron({ root: dir, env: { ELECTRON_OVERRIDE_DIST_PATH: dist }, platform: 'linux' })).toEqual({
      reason: `ELECTRON_OVERRIDE_DIST_PATH is set but ${join(dist, 'electron')} does not exist`,
    });
    mkdirSync(dist);
    writeFileSync(join(dist, 'electron'), '');
    expect(findElectron({ root: dir, env: { ELECTRON_OVERRIDE_DIST_PATH: dist }, platform: 'linux' })).toEqual({ path: join(dist, 'electron') });
  });

  it('plans Electron on the app folder, or serve with the same arguments and one line saying why', () => {
    fakeElectronPackage(dir, 'electron', true);
    expect(launchPlan(['--show'], { root: dir, env: {} })).toEqual({
      command: join(dir, 'node_modules', 'electron', 'dist', 'electron'),
      args: [dir, '--show'],
      notice: null,
    });
    rmSync(join(dir, 'node_modules'), { recursive: true });
    const plan = launchPlan(['--port', '4100'], { root: dir, env: {} });
    expect(plan.command).toBe(process.execPath);
    expect(plan.args).toEqual([join(dir, 'bin', 'switchyard.mjs'), 'serve', '--port', '4100']);
    expect(plan.notice).toBe(fallbackLine('the electron package is not installed'));
    expect(plan.notice).toBe(
      'Electron is not available on this machine (the electron package is not installed); starting the headless server with the dashboard instead.',
    );
  });
});

describe('npm start on this machine', () => {
  const built = existsSync(join(ROOT, 'dist', 'cli.js')) && existsSync(join(ROOT, 'dist', 'renderer', 'index.html'));
  const hasElectron = 'path' in findElectron({ root: ROOT });

  it.skipIf(!built || hasElectron)('prints the fallback line once, serves the dashboard, and stops cleanly on Ctrl+C', async () => {
    const data = mkdtempSync(join(tmpdir(), 'switchyard-start-data-'));
    const child = spawn(process.execPath, [join(ROOT, 'scripts', 'start.mjs'), '--port', '0', '--host', '127.0.0.1'], {
      cwd: ROOT,
      env: { ...process.env, SWITCHYARD_NO_BUILD: '1', SWITCHYARD_DATA_DIR: data, GITHUB_TOKEN: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.resume();
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const proxy = await new Promise<string>((resolve, reject) => {
        const check = () => {
          const m = /Proxy: (http:\/\/127\.0\.0\.1:\d+)\/v1/.exec(out);
          if (m) resolve(m[1]!);
        };
        child.stdout.on('data', check);
        child.on('exit', () => reject(new Error(`exited early:\n${out}`)));
      });
      const lines = out.split('\n');
      expect(lines[0]).toMatch(/^Electron is not available on this machine \(.+\); starting the headless server with the dashboard instead\.$/);
      expect(lines.filter((l) => l.startsWith('Electron is not available'))).toHaveLength(1);
      const page = await fetch(`${proxy}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root"></div>');
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(data, { recursive: true, force: true });
    }
  });
});

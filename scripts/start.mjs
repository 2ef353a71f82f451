#!/usr/bin/env node
// `npm start [-- ARGS]`: builds (scripts/build.mjs), then launches the desktop app with Electron.
// Where no Electron binary can be had (an offline machine: the electron package fetches its binary
// lazily and cannot here), prints one line saying so and runs `switchyard serve ARGS` instead, which
// serves the same dashboard in the browser. Signals are forwarded; the exit code is the child's.
// SWITCHYARD_NO_BUILD=1 skips the build (as for bin/switchyard.mjs).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { constants } from 'node:os';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The binary the electron package would run, by platform (what its install script writes to path.txt). */
function defaultBinary(platform) {
  if (platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'win32') return 'electron.exe';
  return 'electron';
}

/**
 * Looks for an Electron binary without triggering the electron package's download (requiring
 * 'electron' from plain Node would try to fetch it). Returns { path } or { reason }.
 */
export function findElectron({ root = ROOT, env = process.env, platform = process.platform } = {}) {
  const pkg = join(root, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  const recorded = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const candidate = join(env.ELECTRON_OVERRIDE_DIST_PATH, recorded || defaultBinary(platform));
    return existsSync(candidate)
      ? { path: candidate }
      : { reason: `ELECTRON_OVERRIDE_DIST_PATH is set but ${candidate} does not exist` };
  }
  if (!existsSync(join(pkg, 'package.json'))) return { reason: 'the electron package is not installed' };
  if (!recorded) return { reason: 'its binary was never downloaded and cannot be fetched offline' };
  const candidate = join(pkg, 'dist', recorded);
  if (!existsSync(candidate)) return { reason: `node_modules/electron/dist/${recorded} is missing` };
  return { path: candidate };
}

export function fallbackLine(reason) {
  return `Electron is not available on this machine (${reason}); starting the headless server with the dashboard instead.`;
}

/** The command `npm start` runs: Electron on the app folder, or `node bin/switchyard.mjs serve`. */
export function launchPlan(args, options = {}) {
  const root = options.root ?? ROOT;
  const found = findElectron(options);
  if (found.path) return { command: found.path, args: [root, ...args], notice: null };
  return { command: process.execPath, args: [join(root, 'bin', 'switchyard.mjs'), 'serve', ...args], notice: fallbackLine(found.reason) };
}

function build() {
  if (process.env.SWITCHYARD_NO_BUILD) return;
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write('npm start: the build failed (see above).\n');
    process.exit(result.status ?? 1);
  }
}

function run() {
  build();
  const plan = launchPlan(process.argv.slice(2));
  if (plan.notice) process.stdout.write(`${plan.notice}\n`);
  const env = { ...process.env, SWITCHYARD_NO_BUILD: '1' };
  delete env.ELECTRON_RUN_AS_NODE;
  // Its own process group on POSIX, so a terminal's Ctrl+C reaches the child once (through us), not twice.
  const posix = process.platform !== 'win32';
  const child = spawn(plan.command, plan.args, { cwd: ROOT, stdio: 'inherit', env, detached: posix });
  const forward = (signal) => {
    if (posix || signal !== 'SIGINT') child.kill(signal); // on Windows the console already sent Ctrl+C to the child
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, forward);
  child.on('error', (error) => {
    process.stderr.write(`npm start: could not run ${plan.command}: ${error.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    for (const s of signals) process.off(s, forward);
    process.exit(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) run();

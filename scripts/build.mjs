#!/usr/bin/env node
// Builds everything `npm start`, `npm run serve` and the packaged app run:
//   dist/cli.js              the `switchyard` command (headless engine)      esbuild, ESM, split:
//   dist/cli-*.js            what it imports only when used (the simulator, the Redis store, other commands)
//   dist/app/main.js         the Electron main process                       esbuild, ESM
//   dist/preload/index.cjs   the sandboxed preload                           esbuild, CommonJS
//   dist/renderer/           the React window = the headless dashboard        vite
// Flags: --main-only (skip the renderer), --if-stale (skip outputs newer than their sources).
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import { leanPackages } from './lean-packages.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const ifStale = args.has('--if-stale');
const at = (...p) => join(root, ...p);

function newest(dir, exts) {
  let latest = 0;
  if (!existsSync(dir)) return latest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(full, exts));
    else if (exts.some((e) => entry.name.endsWith(e)) && !entry.name.includes('.test.')) latest = Math.max(latest, statSync(full).mtimeMs);
  }
  return latest;
}

const stale = (output, sources) => !ifStale || !existsSync(output) || statSync(output).mtimeMs < Math.max(...sources);
const log = (line) => process.stderr.write(`[build] ${line}\n`);

const nodeSources = [newest(at('main'), ['.ts', '.json']), newest(at('shared'), ['.ts']), statSync(at('package.json')).mtimeMs];
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, packages: 'external', logLevel: 'warning', absWorkingDir: root, plugins: [leanPackages({ root })] };

const targets = [
  // Split: a dynamic import() stays a separate file, so what it imports from node_modules loads only then too
  // (without splitting, esbuild hoists every package import to the top of the one file).
  { out: at('dist/cli.js'), entry: at('main/cli/index.ts'), format: 'esm', split: 'cli' },
  { out: at('dist/app/main.js'), entry: at('main/app/main.ts'), format: 'esm', external: ['electron'] },
  { out: at('dist/preload/index.cjs'), entry: at('main/preload/index.ts'), format: 'cjs', external: ['electron'], packages: undefined },
];

for (const t of targets) {
  if (!existsSync(t.entry)) continue;
  if (!stale(t.out, nodeSources)) continue;
  const started = Date.now();
  const options = { ...common, entryPoints: [t.entry], outfile: t.out, format: t.format, external: t.external ?? [] };
  if (t.split) {
    // Chunks sit beside the entry (code in them reads import.meta.dirname as the entry's folder); old ones go first.
    const dir = dirname(t.out);
    if (existsSync(dir)) for (const name of readdirSync(dir)) if (name.startsWith(`${t.split}-`) && /\.js(\.map)?$/.test(name)) rmSync(join(dir, name));
    delete options.outfile;
    Object.assign(options, { entryPoints: { [t.split]: t.entry }, outdir: dir, splitting: true, chunkNames: `${t.split}-[hash]` });
  }
  if (t.packages === undefined && t.format === 'cjs') delete options.packages;
  await esbuild(options);
  log(`${t.out.slice(root.length + 1)} (${Date.now() - started} ms)`);
}

if (!args.has('--main-only')) {
  const html = at('dist/renderer/index.html');
  const rendererSources = [newest(at('renderer'), ['.ts', '.tsx', '.css', '.html', '.svg', '.png']), newest(at('shared'), ['.ts']), statSync(at('vite.config.ts')).mtimeMs];
  if (existsSync(at('renderer/index.html')) && stale(html, rendererSources)) {
    const started = Date.now();
    const { build } = await import('vite');
    await build({ configFile: at('vite.config.ts'), logLevel: 'warn' });
    log(`dist/renderer (${Date.now() - started} ms)`);
  }
}

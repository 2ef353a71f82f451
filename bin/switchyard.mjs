#!/usr/bin/env node
// The `switchyard` command. In a checkout it builds what is missing or stale first, so
// `npm run serve` works right after `npm ci`. SWITCHYARD_NO_BUILD=1 skips that (tests build once first).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist', 'cli.js');
const buildScript = join(root, 'scripts', 'build.mjs');

if (!process.env.SWITCHYARD_NO_BUILD && existsSync(buildScript) && existsSync(join(root, 'node_modules', 'esbuild'))) {
  const built = spawnSync(process.execPath, [buildScript, '--if-stale'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (built.status !== 0) {
    process.stderr.write('switchyard: the build failed (see above).\n');
    process.exit(1);
  }
}
if (!existsSync(entry)) {
  process.stderr.write('switchyard: dist/cli.js is missing. Run `npm ci` and `npm run build` in the checkout first.\n');
  process.exit(1);
}
const { main } = await import(pathToFileURL(entry).href);
process.exitCode = await main(process.argv.slice(2));

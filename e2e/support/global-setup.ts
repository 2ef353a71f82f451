import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './paths';

/**
 * Builds what the browser tests run — dist/cli.js (`switchyard serve`) and dist/renderer (the
 * dashboard) — once, before any spec; skips outputs that are newer than their sources.
 * The servers the specs start then run with SWITCHYARD_NO_BUILD=1.
 */
export default function globalSetup(): void {
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--if-stale'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('The build failed (see above); the browser tests need dist/.');
}

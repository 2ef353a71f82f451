import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { leanPackages } from '../../scripts/lean-packages.mjs';
import { ROOT } from './serve-child';

/**
 * The `switchyard` CLI bundled from the current sources into a temp folder, as scripts/build.mjs
 * bundles dist/cli.js (packages stay external, resolved through a node_modules link, except those
 * scripts/lean-packages.mjs bundles; split, so dynamic imports stay separate files). Tests that
 * start the real server many times use it: plain JS starts in a fraction of tsx's time, and the
 * test does not depend on (or race with) a dist/ that others may be rebuilding.
 */
export interface CliBundle {
  /** Run with `node <file> serve …`. */
  file: string;
  remove(): Promise<void>;
}

export async function bundleCli(): Promise<CliBundle> {
  const dir = await mkdtemp(join(tmpdir(), 'switchyard-cli-'));
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const entry = join(dir, 'cli-entry.ts');
  await writeFile(entry, `import { main } from ${JSON.stringify(join(ROOT, 'main', 'cli', 'index'))};\nprocess.exitCode = await main(process.argv.slice(2));\n`);
  await build({
    entryPoints: { cli: entry },
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    splitting: true,
    chunkNames: 'cli-[hash]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    plugins: [leanPackages({ root: ROOT })],
    logLevel: 'silent',
  });
  const file = join(dir, 'cli.mjs');
  return { file, remove: () => rm(dir, { recursive: true, force: true }) };
}

import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ROOT } from './serve-child';

/**
 * The `switchyard` CLI bundled from the current sources into a temp folder, as scripts/build.mjs
 * bundles dist/cli.js (packages stay external, resolved through a node_modules link). Tests that
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
  const file = join(dir, 'cli.mjs');
  await build({
    stdin: { contents: "import { main } from './main/cli/index';\nprocess.exitCode = await main(process.argv.slice(2));\n", resolveDir: ROOT, loader: 'ts', sourcefile: 'cli-entry.ts' },
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
  });
  return { file, remove: () => rm(dir, { recursive: true, force: true }) };
}

// The esbuild plugin dist/cli.js and dist/app/main.js are built with (scripts/build.mjs, and
// bench/lib/cli-bundle.ts for tests): packages stay external (node_modules) except where loading
// them through Node's module loader costs start-up time that their bundled, tree-shaken ESM build
// does not. Measured with `npm run bench -- --startup-only` (README, "Performance and proof").
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Packages bundled from their ESM build instead of loaded from node_modules at run time.
 * cockatiel: its "main" is CommonJS (≈ 40 files through the CJS loader and lexer); its ESM build
 * has extensionless imports Node cannot load, but esbuild can, and only two classes are used.
 */
export const BUNDLED = (process.env.SWITCHYARD_BUNDLED ?? 'cockatiel,zod').split(',').filter(Boolean);

/** undici as the engine uses it (`Agent` and its `request`), without the rest of undici's index (fetch, WebSocket, caches, mocks). */
export const UNDICI_AGENT = join(here, 'undici-agent.mjs');

export function leanPackages({ root, undiciAgent = process.env.SWITCHYARD_UNDICI_AGENT !== '0' } = {}) {
  const require = createRequire(join(root, 'package.json'));
  return {
    name: 'lean-packages',
    setup(build) {
      for (const name of BUNDLED) {
        const pkgDir = dirname(require.resolve(`${name}/package.json`));
        const pkg = require(`${name}/package.json`);
        const esm = typeof pkg.module === 'string' ? join(pkgDir, pkg.module) : null;
        const filter = new RegExp(`^${name.replace(/[/.]/g, '\\$&')}$`);
        build.onResolve({ filter }, () => (esm ? { path: esm } : { path: require.resolve(name) }));
      }
      if (undiciAgent) {
        build.onResolve({ filter: /^undici$/ }, (args) => (args.importer.includes('/main/core/upstream/') ? { path: UNDICI_AGENT } : undefined));
      }
    },
  };
}

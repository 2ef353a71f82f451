import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLED } from '../../scripts/lean-packages.mjs';
import { ROOT } from './serve-child';

/**
 * Each library's share of the serve process's RSS: a fresh node process imports one library (or
 * the whole dist/cli.js, without running it) and reports its RSS; the share is that minus a bare
 * node's. Shares overlap (fastify's dependencies are counted under fastify, pino's under fastify too),
 * so they do not add up to the total; they say what loading each costs on its own.
 */

export interface LibraryShare {
  name: string;
  /** RSS above a bare node process, bytes. */
  bytes: number;
  /** Whether dist/cli.js imports it at start (a static import) or only when used (a dynamic import). */
  loaded: 'at start' | 'when used' | 'bundled into dist/cli.js' | 'only its Agent (row above)' | 'not imported';
}

/** What serve loads of undici: its Agent and request API without the index (scripts/undici-agent.mjs, bundled). */
const UNDICI_AGENT_ROW = 'undici (Agent only)';
const LIBRARIES = [UNDICI_AGENT_ROW, 'fastify', '@fastify/rate-limit', '@fastify/cors', 'undici', 'pino', 'pino-pretty', 'pino-roll', 'prom-client', 'zod', 'yaml', 'ioredis', 'cockatiel', 'lru-cache', 'eventsource-parser', 'fastest-levenshtein', 'gpt-tokenizer', 'env-paths'];

function rssAfter(importLine: string): number {
  const script = `${importLine}\nawait new Promise((r) => setTimeout(r, 300));\nprocess.stdout.write(String(process.memoryUsage().rss));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  return Number(out.trim());
}

/** Median of three readings (start-up noise). */
function medianRss(importLine: string): number {
  const v = [rssAfter(importLine), rssAfter(importLine), rssAfter(importLine)].sort((a, b) => a - b);
  return v[1] ?? Number.NaN;
}

const packageOf = (specifier: string) => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);

/**
 * Which packages `switchyard serve` imports at start: dist/cli.js is split (scripts/build.mjs), so
 * "at start" is what the entry and the serve command's chunk import statically, with the chunks
 * those import statically; a package imported only from other chunks, or by import(), loads when used.
 */
export function packagesOfServe(dist: string): { staticImports: Set<string>; dynamicImports: Set<string>; serveChunk: string } {
  const files = new Map(readdirSync(dist).filter((f) => f === 'cli.js' || /^cli-[\w-]+\.js$/.test(f)).map((f) => [f, readFileSync(join(dist, f), 'utf8')]));
  const staticOf = (text: string) => [...text.matchAll(/^import [^;]*?from "([^"]+)"/gm)].map((m) => m[1]!);
  const serveChunk = [...files].find(([, text]) => text.includes('async function serve('))?.[0] ?? 'cli.js';
  const atStart = new Set<string>();
  const visit = (file: string) => {
    if (atStart.has(file) || !files.has(file)) return;
    atStart.add(file);
    for (const spec of staticOf(files.get(file)!)) if (spec.startsWith('./')) visit(spec.slice(2));
  };
  visit('cli.js');
  visit(serveChunk);
  const staticImports = new Set<string>();
  const dynamicImports = new Set<string>();
  for (const [file, text] of files) {
    for (const spec of staticOf(text)) if (!spec.startsWith('.') && !spec.startsWith('node:')) (atStart.has(file) ? staticImports : dynamicImports).add(packageOf(spec));
    for (const m of text.matchAll(/import\("([^"]+)"\)|[Rr]equire\d*\(import\.meta\.url\)\("([^"]+)"\)/g)) {
      const spec = m[1] ?? m[2]!;
      if (!spec.startsWith('.') && !spec.startsWith('node:')) dynamicImports.add(packageOf(spec));
    }
  }
  for (const name of staticImports) dynamicImports.delete(name);
  return { staticImports, dynamicImports, serveChunk };
}

export function libraryShares(): { bareNode: number; bundle: number; libraries: LibraryShare[] } {
  const { staticImports, dynamicImports, serveChunk } = packagesOfServe(join(ROOT, 'dist'));
  const bareNode = medianRss('');
  // The entry and the serve command's chunk (with what it imports statically), not run.
  const bundle = medianRss(`await import(${JSON.stringify(join(ROOT, 'dist', 'cli.js'))}); await import(${JSON.stringify(join(ROOT, 'dist', serveChunk))});`) - bareNode;
  const libraries = LIBRARIES.map((name): LibraryShare => ({
    name,
    bytes: medianRss(`await import(${JSON.stringify(name === UNDICI_AGENT_ROW ? join(ROOT, 'scripts', 'undici-agent.mjs') : name)});`) - bareNode,
    loaded: name === UNDICI_AGENT_ROW ? 'at start' : name === 'undici' && staticImports.has('undici') ? 'only its Agent (row above)' : staticImports.has(name) ? 'at start' : dynamicImports.has(name) ? 'when used' : BUNDLED.includes(name) ? 'bundled into dist/cli.js' : 'not imported',
  })).sort((a, b) => b.bytes - a.bytes);
  return { bareNode, bundle, libraries };
}

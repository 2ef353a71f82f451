import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
  loaded: 'at start' | 'when used' | 'not imported';
}

const LIBRARIES = ['fastify', '@fastify/static', '@fastify/rate-limit', '@fastify/cors', 'undici', 'pino', 'pino-pretty', 'pino-roll', 'prom-client', 'zod', 'yaml', 'ioredis', 'cockatiel', 'lru-cache', 'eventsource-parser', 'fastest-levenshtein', 'gpt-tokenizer', 'env-paths'];

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

export function libraryShares(): { bareNode: number; bundle: number; libraries: LibraryShare[] } {
  const cli = readFileSync(join(ROOT, 'dist', 'cli.js'), 'utf8');
  const staticImports = new Set([...cli.matchAll(/^import [^;]*?from "([^"]+)"/gm)].map((m) => m[1]));
  const dynamicImports = new Set([...cli.matchAll(/import\("([^"]+)"\)/g)].map((m) => m[1]));
  const bareNode = medianRss('');
  const bundle = medianRss(`await import(${JSON.stringify(join(ROOT, 'dist', 'cli.js'))});`) - bareNode;
  const libraries = LIBRARIES.map((name): LibraryShare => ({
    name,
    bytes: medianRss(`await import(${JSON.stringify(name)});`) - bareNode,
    loaded: staticImports.has(name) ? 'at start' : dynamicImports.has(name) ? 'when used' : 'not imported',
  })).sort((a, b) => b.bytes - a.bytes);
  return { bareNode, bundle, libraries };
}

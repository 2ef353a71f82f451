import { createReadStream, readdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * The built dashboard (dist/renderer) as static files: one GET (and HEAD) route per file found at
 * start, `/` for index.html, as @fastify/static registered them with `wildcard: false`, with its
 * caching headers (ETag, Last-Modified, `cache-control: public, max-age=0`, 304 on a match), no ranges.
 * Hand-written because @fastify/static with its dependencies (send, glob, mime, content-disposition)
 * cost ≈ 30 % of Fastify's own start-up CPU, paid before the first /health, for a folder of
 * a few files the build wrote.
 */

/** The types @fastify/static (mime) sent for what a Vite build writes. */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.mjs': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/vnd.microsoft.icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

export function contentTypeOf(file: string): string {
  return TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Every file under `dir` as URL paths (`/assets/index-x.js`), dot-files left out. */
export function listDashboardFiles(dir: string): string[] {
  const entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name).slice(dir.length).split(sep).join('/'))
    .map((p) => (p.startsWith('/') ? p : `/${p}`))
    .filter((p) => !p.split('/').some((part) => part.startsWith('.')))
    .sort();
}

/** An ETag as `send` makes it: weak, from size and modification time. */
function etagOf(size: number, mtimeMs: number): string {
  return `W/"${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}"`;
}

function fresh(request: FastifyRequest, etag: string, mtimeMs: number): boolean {
  const noneMatch = request.headers['if-none-match'];
  if (noneMatch !== undefined) return noneMatch.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*');
  const since = request.headers['if-modified-since'];
  if (since === undefined) return false;
  const at = Date.parse(since);
  return Number.isFinite(at) && Math.floor(mtimeMs / 1000) * 1000 <= at;
}

async function sendFile(file: string, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  let info;
  try {
    info = await stat(file);
  } catch {
    // Deleted since start (a rebuild in progress): the app's own 404.
    reply.callNotFound();
    return reply;
  }
  const etag = etagOf(info.size, info.mtimeMs);
  reply.header('cache-control', 'public, max-age=0').header('last-modified', info.mtime.toUTCString()).header('etag', etag);
  if (fresh(request, etag, info.mtimeMs)) return reply.code(304).send();
  reply.type(contentTypeOf(file)).header('content-length', info.size);
  if (request.method === 'HEAD') return reply.send();
  return reply.send(createReadStream(file));
}

export function registerDashboardFiles(app: FastifyInstance, dir: string): void {
  for (const path of listDashboardFiles(dir)) {
    const file = join(dir, ...path.split('/'));
    app.get(path, (request, reply) => sendFile(file, request, reply));
    if (path === '/index.html') app.get('/', (request, reply) => sendFile(file, request, reply));
  }
}

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentTypeOf, listDashboardFiles, registerDashboardFiles } from './dashboard-files';

let dir: string;
let app: FastifyInstance;
const SCRIPT = 'console.log("ünïcode");\n';

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchyard-dash-'));
  await mkdir(join(dir, 'assets'));
  await mkdir(join(dir, '.cache'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Switchyard</title>');
  await writeFile(join(dir, 'assets', 'index-abc.js'), SCRIPT);
  await writeFile(join(dir, 'favicon.ico'), Buffer.from([0, 0, 1, 0]));
  await writeFile(join(dir, '.cache', 'x'), 'hidden');
  app = Fastify();
  registerDashboardFiles(app, dir);
  await app.ready();
});

afterEach(async () => {
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the dashboard files', () => {
  it('lists every file as a URL path, dot-folders left out', () => {
    expect(listDashboardFiles(dir)).toEqual(['/assets/index-abc.js', '/favicon.ico', '/index.html']);
  });

  it('serves index.html at / and at /index.html, with the caching headers @fastify/static sent', async () => {
    for (const url of ['/', '/index.html']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe('<!doctype html><title>Switchyard</title>');
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('public, max-age=0');
      expect(res.headers.etag).toMatch(/^W\/"[0-9a-f]+-[0-9a-f]+"$/);
      expect(res.headers['last-modified']).toMatch(/GMT$/);
    }
  });

  it('sends the bytes as they are, with their length in bytes', async () => {
    const res = await app.inject({ method: 'GET', url: '/assets/index-abc.js' });
    expect(res.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(res.rawPayload.equals(Buffer.from(SCRIPT))).toBe(true);
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(SCRIPT));
  });

  it('answers 304 to a matching If-None-Match or a later If-Modified-Since, 200 to a stale tag', async () => {
    const first = await app.inject({ method: 'GET', url: '/favicon.ico' });
    const etag = String(first.headers.etag);
    expect((await app.inject({ method: 'GET', url: '/favicon.ico', headers: { 'if-none-match': etag } })).statusCode).toBe(304);
    expect((await app.inject({ method: 'GET', url: '/favicon.ico', headers: { 'if-modified-since': String(first.headers['last-modified']) } })).statusCode).toBe(304);
    const stale = await app.inject({ method: 'GET', url: '/favicon.ico', headers: { 'if-none-match': 'W/"0-0"' } });
    expect(stale.statusCode).toBe(200);
    expect(stale.rawPayload.length).toBe(4);
  });

  it('answers HEAD with the headers and no body', async () => {
    const res = await app.inject({ method: 'HEAD', url: '/assets/index-abc.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(res.rawPayload.length).toBe(0);
  });

  it('registers no route for dot-files or unknown paths, and 404s a file deleted since start', async () => {
    expect((await app.inject({ method: 'GET', url: '/.cache/x' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/assets/other.js' })).statusCode).toBe(404);
    await rm(join(dir, 'favicon.ico'));
    expect((await app.inject({ method: 'GET', url: '/favicon.ico' })).statusCode).toBe(404);
  });

  it('names the types a Vite build writes', () => {
    expect(['a.css', 'a.svg', 'a.png', 'a.woff2', 'a.js.map', 'a.bin'].map(contentTypeOf)).toEqual(['text/css; charset=utf-8', 'image/svg+xml', 'image/png', 'font/woff2', 'application/json; charset=utf-8', 'application/octet-stream']);
  });
});

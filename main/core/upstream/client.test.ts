import type { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterEach, describe, expect, it } from 'vitest';
import { createUpstreamClient } from './client';
import { freePort, startBlackhole, startServer, type TestServer } from './test-servers';
import { UpstreamHttpError, UpstreamNetworkError, type UpstreamClient, type UpstreamTimeouts } from './types';

const TOKEN = 'gho_SECRETsecretSECRETsecret42';
const CHAT = JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function serve(handler: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const server = await startServer(handler);
  cleanups.push(() => server.close());
  return server;
}

function client(base: string, timeouts: Partial<UpstreamTimeouts> = {}, apiBase = base): UpstreamClient {
  const upstream = createUpstreamClient({
    modelsBaseUrl: base,
    apiBaseUrl: apiBase,
    timeouts: { connectMs: 2_000, firstByteMs: 5_000, idleMs: 5_000, ...timeouts },
  });
  cleanups.push(() => upstream.close());
  return upstream;
}

/** The UpstreamNetworkError a promise rejects with (fails the test if it resolves or throws anything else). */
async function networkFailure(promise: Promise<unknown>): Promise<UpstreamNetworkError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UpstreamNetworkError);
  const failure = error as UpstreamNetworkError;
  expect(failure.message).not.toContain(TOKEN);
  expect(String(failure)).not.toContain('SECRET');
  return failure;
}

/** Resolves with the first chunk of a body. */
const firstChunk = (body: Readable) => new Promise<string>((resolve) => body.once('data', (chunk: Buffer) => resolve(chunk.toString())));

describe('send', () => {
  it('POSTs to the inference endpoints with the documented headers, and reuses one connection', async () => {
    const server = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
    const upstream = client(server.url);
    for (const kind of ['chat', 'embeddings', 'chat'] as const) {
      const reply = await upstream.send(kind, TOKEN, CHAT, new AbortController().signal);
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toBe('application/json');
      expect(await text(reply.body)).toBe('{"ok":true}');
      // undici frees a keep-alive socket one event-loop turn after a response completes
      // (pipelining 1); requests are never that tightly back to back in practice.
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(server.requests.map((r) => r.url)).toEqual(['/inference/chat/completions', '/inference/embeddings', '/inference/chat/completions']);
    const first = server.requests[0]!;
    expect(first.method).toBe('POST');
    expect(first.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(first.headers['content-type']).toBe('application/json');
    expect(first.headers.accept).toBe('application/json');
    expect(first.headers['x-github-api-version']).toBe('2022-11-28');
    expect(first.body).toBe(CHAT);
    expect(new Set(server.requests.map((r) => r.socketId)).size).toBe(1);
  });

  it('keeps a base path prefix and tolerates trailing slashes', async () => {
    const server = await serve((_req, res) => res.end('{}'));
    const upstream = client(`${server.url}/sim/models//`);
    const reply = await upstream.send('embeddings', TOKEN, Buffer.from('{}'), new AbortController().signal);
    await text(reply.body);
    expect(server.requests[0]!.url).toBe('/sim/models/inference/embeddings');
  });

  it('asks for text/event-stream when the chat body streams, and relays SSE chunk by chunk', async () => {
    let sendNext: (() => void) | null = null;
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"n":1}\n\n');
      sendNext = () => {
        res.write('data: {"n":2}\n\n');
        sendNext = () => res.end('data: [DONE]\n\n');
      };
    });
    const upstream = client(server.url);
    const body = JSON.stringify({ model: 'openai/gpt-4o-mini', stream: true, messages: [] });
    const reply = await upstream.send('chat', TOKEN, new TextEncoder().encode(body), new AbortController().signal);
    expect(server.requests[0]!.headers.accept).toBe('text/event-stream');
    expect(reply.headers['content-type']).toBe('text/event-stream');
    // The second event is only written after the first one reached us: nothing is buffered.
    expect(await firstChunk(reply.body)).toBe('data: {"n":1}\n\n');
    const second = firstChunk(reply.body);
    sendNext!();
    expect(await second).toBe('data: {"n":2}\n\n');
    const rest = text(reply.body);
    sendNext!();
    expect(await rest).toBe('data: [DONE]\n\n');
  });

  it('returns any status with its headers and body (the pool interprets non-2xx)', async () => {
    const body = '{"error":{"code":"RateLimitReached","message":"Rate limit of 50 per 86400s exceeded for UserByModelByDay."}}';
    const server = await serve((_req, res) => res.writeHead(429, { 'Retry-After': '5631', 'X-RateLimit-Type': 'UserByModelByDay' }).end(body));
    const reply = await client(server.url).send('chat', TOKEN, CHAT, new AbortController().signal);
    expect(reply.status).toBe(429);
    expect(reply.headers['retry-after']).toBe('5631');
    expect(reply.headers['x-ratelimit-type']).toBe('UserByModelByDay');
    expect(await text(reply.body)).toBe(body);
  });
});

describe('send failures', () => {
  it('connect_timeout when the connection never completes', async () => {
    const hole = await startBlackhole();
    cleanups.push(() => hole.close());
    const upstream = client(`http://127.0.0.1:${hole.port}`, { connectMs: 100, firstByteMs: 10_000 });
    const error = await networkFailure(upstream.send('chat', TOKEN, CHAT, new AbortController().signal));
    expect(error.failure).toBe('connect_timeout');
  });

  it('first_byte_timeout when headers never come', async () => {
    const server = await serve(() => {});
    const error = await networkFailure(client(server.url, { firstByteMs: 100 }).send('chat', TOKEN, CHAT, new AbortController().signal));
    expect(error.failure).toBe('first_byte_timeout');
  });

  it('idle_timeout surfaces from the body when it goes silent', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"n":1}\n\n');
    });
    const reply = await client(server.url, { idleMs: 150 }).send('chat', TOKEN, CHAT, new AbortController().signal);
    const error = await networkFailure(text(reply.body));
    expect(error.failure).toBe('idle_timeout');
  });

  it('connection_reset when the server closes before answering', async () => {
    const server = await serve((req) => req.socket.destroy());
    const error = await networkFailure(client(server.url).send('chat', TOKEN, CHAT, new AbortController().signal));
    expect(error.failure).toBe('connection_reset');
  });

  it('connection_reset on a TCP RST', async () => {
    const server = await serve((req) => req.socket.resetAndDestroy());
    const error = await networkFailure(client(server.url).send('chat', TOKEN, CHAT, new AbortController().signal));
    expect(error.failure).toBe('connection_reset');
  });

  it('connection_reset when the connection drops mid-body', async () => {
    const server = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"n":1}\n\n', () => setImmediate(() => req.socket.destroy()));
    });
    const reply = await client(server.url).send('chat', TOKEN, CHAT, new AbortController().signal);
    const error = await networkFailure(text(reply.body));
    expect(error.failure).toBe('connection_reset');
  });

  it('connection_refused when nothing listens', async () => {
    const port = await freePort();
    const error = await networkFailure(client(`http://127.0.0.1:${port}`).send('chat', TOKEN, CHAT, new AbortController().signal));
    expect(error.failure).toBe('connection_refused');
  });

  it('aborted while waiting for headers', async () => {
    const controller = new AbortController();
    const server = await serve(() => controller.abort());
    const error = await networkFailure(client(server.url).send('chat', TOKEN, CHAT, controller.signal));
    expect(error.failure).toBe('aborted');
    expect(server.requests).toHaveLength(1);
  });

  it('aborted mid-body, and the upstream connection is closed', async () => {
    let upstreamClosed!: Promise<void>;
    const server = await serve((req, res) => {
      upstreamClosed = new Promise((resolve) => req.socket.once('close', () => resolve()));
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"n":1}\n\n');
    });
    const controller = new AbortController();
    const reply = await client(server.url).send('chat', TOKEN, CHAT, controller.signal);
    expect(await firstChunk(reply.body)).toBe('data: {"n":1}\n\n');
    const rest = text(reply.body);
    controller.abort();
    const error = await networkFailure(rest);
    expect(error.failure).toBe('aborted');
    await upstreamClosed;
  });

  it('destroying the body closes the upstream connection', async () => {
    let upstreamClosed!: Promise<void>;
    const server = await serve((req, res) => {
      upstreamClosed = new Promise((resolve) => req.socket.once('close', () => resolve()));
      res.writeHead(200).write('data: {"n":1}\n\n');
    });
    const reply = await client(server.url).send('chat', TOKEN, CHAT, new AbortController().signal);
    await firstChunk(reply.body);
    reply.body.destroy();
    await upstreamClosed;
  });

  it('an already aborted signal never sends', async () => {
    const server = await serve((_req, res) => res.end('{}'));
    const controller = new AbortController();
    controller.abort();
    const error = await networkFailure(client(server.url).send('chat', TOKEN, CHAT, controller.signal));
    expect(error.failure).toBe('aborted');
    expect(server.requests).toHaveLength(0);
  });
});

describe('close', () => {
  it('ends streams still being read, and refuses new requests', async () => {
    const server = await serve((_req, res) => res.writeHead(200).write('data: {"n":1}\n\n'));
    const upstream = client(server.url);
    const reply = await upstream.send('chat', TOKEN, CHAT, new AbortController().signal);
    expect(await firstChunk(reply.body)).toBe('data: {"n":1}\n\n');
    const rest = text(reply.body);
    await upstream.close();
    expect((await networkFailure(rest)).failure).toBe('aborted');
    expect((await networkFailure(upstream.send('chat', TOKEN, CHAT, new AbortController().signal))).failure).toBe('aborted');
    await upstream.close();
  });
});

describe('getUser', () => {
  it('reads login, id and avatar from GET {apiBase}/user', async () => {
    const api = await serve((_req, res) => res.end(JSON.stringify({ login: 'octocat', id: 583231, avatar_url: 'https://a/b.png', plan: {} })));
    const user = await client('http://127.0.0.1:1', {}, `${api.url}/api/v3/`).getUser(TOKEN);
    expect(user).toEqual({ login: 'octocat', id: 583231, avatarUrl: 'https://a/b.png' });
    const seen = api.requests[0]!;
    expect(seen.method).toBe('GET');
    expect(seen.url).toBe('/api/v3/user');
    expect(seen.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(seen.headers.accept).toBe('application/vnd.github+json');
    expect(seen.headers['user-agent']).toBeTruthy();
  });

  it('throws UpstreamHttpError on 401 with the body read, never the token', async () => {
    const api = await serve((_req, res) =>
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"Bad credentials","documentation_url":"https://docs.github.com"}'),
    );
    const error = await client(api.url).getUser(TOKEN).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamHttpError);
    expect((error as UpstreamHttpError).status).toBe(401);
    expect((error as UpstreamHttpError).info).toEqual({ status: 401, code: null, message: 'Bad credentials' });
    expect((error as Error).message).not.toContain('SECRET');
  });

  it('maps network failures too', async () => {
    const port = await freePort();
    const error = await networkFailure(client(`http://127.0.0.1:${port}`).getUser(TOKEN));
    expect(error.failure).toBe('connection_refused');
  });
});

describe('listCatalog', () => {
  const entry = { id: 'openai/gpt-4o-mini', name: 'OpenAI GPT-4o mini', publisher: 'OpenAI', rate_limit_tier: 'low', html_url: 'https://x' };

  it('GETs {modelsBase}/catalog/models, keeps unknown fields, sends no token when given none', async () => {
    const server = await serve((_req, res) => res.end(JSON.stringify([entry, { name: 'no id' }])));
    const upstream = client(`${server.url}/`);
    expect(await upstream.listCatalog(null)).toEqual([entry]);
    expect(server.requests[0]!.url).toBe('/catalog/models');
    expect(server.requests[0]!.headers.authorization).toBeUndefined();
    await upstream.listCatalog(TOKEN);
    expect(server.requests[1]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('throws UpstreamHttpError on an HTML 502 page', async () => {
    const server = await serve((_req, res) =>
      res.writeHead(502, { 'content-type': 'text/html' }).end('<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>'),
    );
    const error = (await client(server.url).listCatalog(null).catch((e: unknown) => e)) as UpstreamHttpError;
    expect(error).toBeInstanceOf(UpstreamHttpError);
    expect(error.info).toEqual({ status: 502, code: null, message: '502 Bad Gateway' });
  });

  it('rejects an answer that is not an array', async () => {
    const server = await serve((_req, res) => res.end('{"models":"nope"}'));
    await expect(client(server.url).listCatalog(null)).rejects.toThrow(/not a JSON array/);
  });
});

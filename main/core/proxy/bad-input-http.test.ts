import OpenAI, { BadRequestError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawExchange, requestBytes } from '../../../bench/lib/raw-http';
import { startHarness, type Harness } from '../test-support/harness';
import { BODY_LIMIT_BYTES } from './app';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from './guards';

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const chatWith = (extra: string) => `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"x"}],"metadata":{"deep":${extra}}}`;

describe('bad input gets a clear answer in OpenAI\'s shape (issue 15 items 10, 20)', () => {
  let h: Harness;
  let port: number;
  beforeAll(async () => {
    h = await startHarness();
    port = Number(new URL(h.origin).port);
  });
  afterAll(() => h.close());

  const post = (path: string, body: string, contentType = 'application/json') => rawExchange(port, requestBytes({ method: 'POST', path, port, headers: [['Content-Type', contentType]], body }), 30_000);
  const errorOf = (body: string) => (JSON.parse(body) as { error: { code: string; message: string } }).error;

  it('refuses 10,000-deep JSON in a field with a 400 json_too_deep (not a 500), on every JSON route, before any upstream call', async () => {
    const inference = () => h.sim.stats().endpoints.chat + h.sim.stats().endpoints.embeddings;
    const upstreamBefore = inference();
    for (const path of ['/v1/chat/completions', '/v1/embeddings']) {
      const answer = await post(path, chatWith(nested(10_000)));
      expect(answer.status, answer.body).toBe(400);
      expect(errorOf(answer.body).code).toBe('json_too_deep');
      expect(errorOf(answer.body).message).toContain(`${MAX_JSON_DEPTH} levels`);
    }
    expect(inference()).toBe(upstreamBefore);
    expect(h.logs.filter((line) => line.includes('"level":50'))).toEqual([]);
  });

  it('the official SDK sees the refusal as a BadRequestError', async () => {
    const client = new OpenAI({ baseURL: `${h.origin}/v1`, apiKey: 'unused', maxRetries: 0 });
    const deep = JSON.parse(nested(200)) as unknown;
    const error = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], metadata: { deep } as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).code).toBe('json_too_deep');
  });

  it('still reads ordinary nesting', async () => {
    const answer = await post('/v1/chat/completions', `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"${'[{'.repeat(20)}"}]}`);
    expect(answer.status, answer.body).toBe(200);
  });

  it('answers JSON sent as text/plain with a 415 that names the content type', async () => {
    const answer = await post('/v1/chat/completions', chatWith('1'), 'text/plain; charset=utf-8');
    expect(answer.status, answer.body).toBe(415);
    expect(errorOf(answer.body).code).toBe('unsupported_media_type');
    expect(errorOf(answer.body).message).toContain('"text/plain"');
    expect(errorOf(answer.body).message).toContain('application/json');
    const form = await post('/v1/embeddings', 'model=x&input=y', 'application/x-www-form-urlencoded');
    expect(form.status).toBe(415);
    expect(errorOf(form.body).message).toContain('"application/x-www-form-urlencoded"');
    const none = await rawExchange(port, requestBytes({ method: 'POST', path: '/v1/chat/completions', port, body: chatWith('1') }));
    expect(none.status).toBe(415);
    expect(errorOf(none.body).message).toContain('without a Content-Type');
  });

  it('answers a known path asked with the wrong method with 405 and Allow', async () => {
    const get = await rawExchange(port, requestBytes({ method: 'GET', path: '/v1/chat/completions', port }));
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    expect(errorOf(get.body).code).toBe('method_not_allowed');
    const del = await rawExchange(port, requestBytes({ method: 'DELETE', path: '/v1/models', port }));
    expect(del.status).toBe(405);
    expect(del.headers.allow).toContain('GET');
    expect((await rawExchange(port, requestBytes({ method: 'GET', path: '/v1/nothing-here', port }))).status).toBe(404);
  });

  it('states the limit in a 413, declared (Content-Length) or chunked', async () => {
    const declared = await rawExchange(port, requestBytes({ method: 'POST', path: '/v1/chat/completions', port, headers: [['Content-Type', 'application/json']], body: '{}', contentLength: String(BODY_LIMIT_BYTES + 1) }));
    expect(declared.status).toBe(413);
    expect(errorOf(declared.body).message).toContain(`${BODY_LIMIT_BYTES} bytes`);
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    const pieces = Array.from({ length: 12 }, () => Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]));
    const head = Buffer.from(`POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`);
    const chunked = await rawExchange(port, [head, ...pieces, Buffer.from('0\r\n\r\n')], 30_000);
    expect(chunked.status).toBe(413);
    expect(errorOf(chunked.body).message).toContain(`${BODY_LIMIT_BYTES} bytes`);
  });
});

describe('jsonDepthExceeds', () => {
  it('counts objects and arrays, not brackets inside strings', () => {
    expect(jsonDepthExceeds(nested(64))).toBe(false);
    expect(jsonDepthExceeds(nested(65))).toBe(true);
    expect(jsonDepthExceeds(`{"a":"${'['.repeat(500)}"}`)).toBe(false);
    expect(jsonDepthExceeds(`{"a":"\\"${'{'.repeat(500)}"}`)).toBe(false);
    expect(jsonDepthExceeds(`[${'{"a":'.repeat(65)}1${'}'.repeat(65)}]`)).toBe(true);
  });
});

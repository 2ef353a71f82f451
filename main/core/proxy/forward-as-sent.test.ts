import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../engine';
import type { Engine } from '../engine-types';
import { startServer, type TestServer } from '../upstream/test-servers';

const TOKEN = 'ghp_aliceTOKEN0000000000000000000000001Xq';
const ANSWER = JSON.stringify({ id: 'c1', object: 'chat.completion', model: 'openai/gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } });
const EMBEDDING = JSON.stringify({ object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.1] }], model: 'openai/text-embedding-3-small', usage: { prompt_tokens: 1, total_tokens: 1 } });

/** An engine started in front of a test upstream for the describe block it is called in; closed after it. */
function engineBehind(handler: Parameters<typeof startServer>[0], env: (upstreamUrl: string) => Record<string, string>) {
  const rig = { server: null as unknown as TestServer, engine: null as unknown as Engine, dataDir: '', origin: '' };
  beforeAll(async () => {
    rig.server = await startServer(handler);
    rig.dataDir = await mkdtemp(join(tmpdir(), 'switchyard-as-sent-'));
    rig.engine = await createEngine({ dataDir: rig.dataDir, env: env(rig.server.url), overrides: { host: '127.0.0.1', port: 0 } });
    await rig.engine.start();
    rig.origin = `http://127.0.0.1:${rig.engine.snapshot().proxy.port}`;
  });
  afterAll(async () => {
    await rig.engine.shutdown();
    await rig.server.close();
    await rm(rig.dataDir, { recursive: true, force: true });
  });
  return {
    requests: () => rig.server.requests,
    post: (path: string, body: string) => fetch(`${rig.origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }),
  };
}

describe('the body sent upstream', () => {
  const { requests, post } = engineBehind(
    (req, res) => {
      if (req.url === '/user') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ login: 'alice', id: 1, avatar_url: null }));
      if (req.url === '/inference/chat/completions') return void res.writeHead(200, { 'content-type': 'application/json' }).end(ANSWER);
      if (req.url === '/inference/embeddings') return void res.writeHead(200, { 'content-type': 'application/json' }).end(EMBEDDING);
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"message":"unavailable"}}');
    },
    (url) => ({ GITHUB_TOKEN: TOKEN, GITHUB_MODELS_BASE_URL: url, GITHUB_API_BASE_URL: url }),
  );
  /** What the chat and embeddings endpoints upstream received, as bytes. */
  const inference = () => requests().filter((r) => r.url.startsWith('/inference/')).map((r) => r.body);

  it('is the client’s own bytes when its model is already the id sent upstream (a number too large for a double stays exact)', async () => {
    const sent = '{ "model":"openai/gpt-4o-mini",  "messages":[{"role":"user","content":"hi \\u00e9"}], "seed": 12345678901234567890 }';
    const res = await post('/v1/chat/completions', sent);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(ANSWER);
    expect(inference().at(-1)).toBe(sent);

    const embed = '{"input":"hi","model":"openai/text-embedding-3-small" , "dimensions":1}';
    expect((await post('/v1/embeddings', embed)).status).toBe(200);
    expect(inference().at(-1)).toBe(embed);
  });

  it('is the parsed body with the model rewritten when the client named it otherwise', async () => {
    const res = await post('/v1/chat/completions', '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"temperature":0.5}');
    expect(res.status).toBe(200);
    expect(inference().at(-1)).toBe('{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"temperature":0.5}');
    // A model id padded with spaces is trimmed, so it is rewritten too.
    expect((await post('/v1/chat/completions', '{"model":" openai/gpt-4o-mini ","messages":[{"role":"user","content":"hi"}]}')).status).toBe(200);
    expect(inference().at(-1)).toBe('{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}');
  });
});

describe('the body sent to another provider (Groq)', () => {
  const GROQ_ANSWER = ANSWER.replace('openai/gpt-4o-mini', 'llama-3.3-70b-versatile');
  const upstream = engineBehind(
    (req, res) => {
      if (req.url === '/openai/v1/models') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: 'llama-3.3-70b-versatile', object: 'model', owned_by: 'Meta' }] }));
      if (req.url === '/openai/v1/chat/completions') return void res.writeHead(200, { 'content-type': 'application/json' }).end(GROQ_ANSWER);
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not here"}}');
    },
    (url) => ({ GROQ_API_KEY: 'gsk_asSentKEY000000000000000000000000000000000001', GROQ_BASE_URL: `${url}/openai/v1` }),
  );
  const chats = () => upstream.requests().filter((r) => r.url === '/openai/v1/chat/completions').map((r) => r.body);
  const post = (body: string) => upstream.post('/v1/chat/completions', body);

  it('is the client’s own bytes when Groq’s quirks change nothing', async () => {
    const sent = '{ "model":"llama-3.3-70b-versatile", "messages":[{"role":"user","content":"hi"}], "seed": 12345678901234567890 }';
    const res = await post(sent);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(GROQ_ANSWER);
    expect(chats().at(-1)).toBe(sent);
  });

  it('is the parsed body with the quirk applied when one does (a message name Groq refuses)', async () => {
    const res = await post('{"model":"llama-3.3-70b-versatile","messages":[{"role":"user","content":"hi","name":"ann"}],"logprobs":true}');
    expect(res.status).toBe(200);
    expect(chats().at(-1)).toBe('{"model":"llama-3.3-70b-versatile","messages":[{"role":"user","content":"hi"}]}');
  });
});

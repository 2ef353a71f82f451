import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic, { AuthenticationError as AnthropicAuthenticationError } from '@anthropic-ai/sdk';
import OpenAI, { AuthenticationError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ROUTES } from '../../../shared/admin-routes';
import { createEngine } from '../engine';
import { startSimulator } from '../../simulator';
import { ALICE, startHarness, type Harness } from '../test-support/harness';

const API_KEY = 'sk-switchyard-guards-test-0123456789abcdef';

/** node:http, so Host and the path can be anything (no URL normalisation on the way). */
function get(origin: string, path: string, headers: Record<string, string>, method = 'GET', body?: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, path, headers, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the guards on the real engine (SWITCHYARD_API_KEY set)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { SWITCHYARD_API_KEY: API_KEY } });
  });
  afterAll(() => h.close());

  it('serves the official SDK that sends the key', async () => {
    const completion = await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.object).toBe('chat.completion');
  });

  it('refuses an SDK without the key, or with a wrong one, as an AuthenticationError with code invalid_api_key', async () => {
    const upstreamBefore = h.sim.stats().recent.length;
    for (const apiKey of ['unused', `${API_KEY}x`]) {
      const client = new OpenAI({ baseURL: `${h.origin}/v1`, apiKey, maxRetries: 0 });
      const error = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthenticationError);
      expect((error as AuthenticationError).status).toBe(401);
      expect((error as AuthenticationError).code).toBe('invalid_api_key');
    }
    expect(h.sim.stats().recent.length).toBe(upstreamBefore);
  });

  it('serves the Anthropic SDK whether it sends the key as x-api-key (as Claude Code sends ANTHROPIC_API_KEY) or as its apiKey bearer, and refuses a wrong one', async () => {
    // SDK 1.15 sends `apiKey` as a bearer; Claude Code sends ANTHROPIC_API_KEY as X-Api-Key, which the SDK sends as given.
    const clients = [new Anthropic({ baseURL: h.origin, apiKey: null, defaultHeaders: { 'x-api-key': API_KEY }, maxRetries: 0 }), new Anthropic({ baseURL: h.origin, apiKey: API_KEY, maxRetries: 0 })];
    for (const claude of clients) {
      const message = await claude.messages.create({ model: 'gpt-4o-mini', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] });
      expect(message.type).toBe('message');
    }
    const upstreamBefore = h.sim.stats().recent.length;
    for (const wrong of [new Anthropic({ baseURL: h.origin, apiKey: null, defaultHeaders: { 'x-api-key': `${API_KEY}x` }, maxRetries: 0 }), new Anthropic({ baseURL: h.origin, apiKey: `${API_KEY}x`, maxRetries: 0 })]) {
      const error = await wrong.messages.create({ model: 'gpt-4o-mini', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AnthropicAuthenticationError);
      expect((error as InstanceType<typeof AnthropicAuthenticationError>).status).toBe(401);
    }
    expect(h.sim.stats().recent.length).toBe(upstreamBefore);
  });

  it('keeps /health open and the snapshot says a key is required', async () => {
    const health = await fetch(`${h.origin}/health`);
    expect(health.status).toBe(200);
    expect(h.engine.snapshot().proxy.apiKeyRequired).toBe(true);
  });

  it('loads the dashboard page in a browser at http://127.0.0.1:<port>/', async () => {
    const page = await fetch(`${h.origin}/`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
  });

  it('refuses a rebound Host and accepts localhost', async () => {
    const port = new URL(h.origin).port;
    const rebound = await get(h.origin, '/health', { host: `attacker.example:${port}` });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body).error.code).toBe('host_not_allowed');
    expect((await get(h.origin, '/health', { host: `localhost:${port}` })).status).toBe(200);
  });

  it('refuses a foreign Origin, accepts the dashboard origin', async () => {
    const foreign = await fetch(`${h.origin}/v1/models`, { headers: { origin: 'https://evil.example', authorization: `Bearer ${API_KEY}` } });
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as { error: { code: string } }).error.code).toBe('origin_not_allowed');
    const same = await fetch(`${h.origin}/v1/models`, { headers: { origin: h.origin, authorization: `Bearer ${API_KEY}` } });
    expect(same.status).toBe(200);
  });

  it('answers an origin once it is allowed in settings, with CORS headers', async () => {
    await h.engine.updateSettings({ allowedOrigins: ['https://tool.example'] });
    const answer = await fetch(`${h.origin}/v1/models`, { headers: { origin: 'https://tool.example', authorization: `Bearer ${API_KEY}` } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe('https://tool.example');
    await h.engine.updateSettings({ allowedOrigins: [] });
  });

  it('requires the admin key on the admin API, refusing a wrong one and the client key', async () => {
    const url = `${h.origin}${ADMIN_ROUTES.snapshot.path}`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: `Bearer ${API_KEY}` } })).status).toBe(401);
    const ok = await fetch(url, { headers: { authorization: `Bearer ${h.engine.adminKey}` } });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { startId: string }).startId).toBe(h.engine.snapshot().startId);
  });

  it('judges percent-encoded paths as the route they reach: no key, no answer (and nothing upstream)', async () => {
    const upstreamBefore = h.sim.stats().recent.length;
    const chat = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    const probes: Array<[string, string]> = [
      ['POST', '/%761/chat/completions'],
      ['POST', '/%76%31/chat/completions'],
      ['POST', '/v1/chat/%63ompletions'],
      ['POST', '/%56%31/chat/completions'],
      ['GET', '/%761/tokens/stats'],
      ['GET', '/v%31/models'],
      ['GET', '/v1/%6dodels'],
      ['GET', '/%76%31'],
      ['POST', '/V1/chat/completions'],
      ['POST', '//v1/chat/completions'],
      ['POST', '/v1//chat/completions'],
      ['POST', '/v1/./chat/completions'],
      ['POST', '/x/../v1/chat/completions'],
      ['POST', '/v1/chat/completions/'],
      ['POST', '/v1/chat/completions;x'],
      ['POST', '/v1/chat/completions%00'],
      ['POST', '/v1/chat/completions#frag'],
      ['GET', '/v1/models?%2e%2e'],
      ['GET', '/%2Fv1/models'],
      ['GET', '/v1%2Fmodels'],
    ];
    for (const [method, path] of probes) {
      const answer = await get(h.origin, path, { 'content-type': 'application/json' }, method, method === 'POST' ? chat : undefined);
      expect([400, 401, 404], `${method} ${path} answered ${answer.status}: ${answer.body.slice(0, 200)}`).toContain(answer.status);
      expect(answer.body).not.toContain('chat.completion');
    }
    expect(h.sim.stats().recent.length).toBe(upstreamBefore);
  });

  it('keeps the admin API same-origin under percent-encoded paths, even for an allowed origin', async () => {
    await h.engine.updateSettings({ allowedOrigins: ['https://tool.example'] });
    try {
      for (const path of ['/admin/api/settings', '/%61dmin/api/settings', '/admin/%61pi/settings', '/%61%64%6d%69%6e/api/snapshot']) {
        const answer = await get(h.origin, path, { authorization: `Bearer ${h.engine.adminKey}`, origin: 'https://tool.example' });
        expect(answer.status, `${path} answered ${answer.status}: ${answer.body.slice(0, 200)}`).toBe(403);
        expect(JSON.parse(answer.body).error.code).toBe('origin_not_allowed');
      }
    } finally {
      await h.engine.updateSettings({ allowedOrigins: [] });
    }
  });

  it('never admits Origin: null, even when a file:// page is allowed', async () => {
    await h.engine.updateSettings({ allowedOrigins: ['file:///Users/me/tool.html'] });
    try {
      const answer = await get(h.origin, '/v1/models', { origin: 'null', authorization: `Bearer ${API_KEY}` });
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.body).error.code).toBe('origin_not_allowed');
      const preflight = await get(h.origin, '/v1/chat/completions', { origin: 'null', 'access-control-request-method': 'POST' }, 'OPTIONS');
      expect(preflight.status).toBe(403);
    } finally {
      await h.engine.updateSettings({ allowedOrigins: [] });
    }
  });
});

describe('the inbound rate limit is keyed on who the client is, not on what it sends', () => {
  const statusOf = async (origin: string, bearer: string) => (await fetch(`${origin}/v1/models`, { headers: { authorization: `Bearer ${bearer}` } })).status;

  it('without a client key: a fresh random bearer per request does not get a fresh bucket (keyed on the address)', async () => {
    const h = await startHarness({ env: { RATE_LIMIT_ENABLED: '1', RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i += 1) statuses.push(await statusOf(h.origin, `sk-random-${i}-${Math.random().toString(36).slice(2)}`));
      expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
    } finally {
      await h.close();
    }
  });

  it('with a client key: the whole key is the identity; wrong keys ending alike are refused, not counted on its bucket', async () => {
    const h = await startHarness({ env: { SWITCHYARD_API_KEY: API_KEY, RATE_LIMIT_ENABLED: '1', RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      const lookalike = `sk-other-${API_KEY.slice(-6)}`;
      expect(await statusOf(h.origin, lookalike)).toBe(401);
      expect(await statusOf(h.origin, lookalike)).toBe(401);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1) statuses.push(await statusOf(h.origin, API_KEY));
      expect(statuses).toEqual([200, 200, 200, 429]);
    } finally {
      await h.close();
    }
  });
});

/** An address of this machine other than loopback (the tests below need one to be a "remote" client). */
const lanAddress = Object.values(networkInterfaces())
  .flat()
  .find((entry) => entry?.family === 'IPv4' && !entry.internal)?.address;

describe.runIf(lanAddress)('listening beyond loopback without a client key (issue 15 item 3)', () => {
  async function exposedEngine(env: Record<string, string>) {
    const sim = await startSimulator({ users: [ALICE] });
    const dataDir = await mkdtemp(join(tmpdir(), 'switchyard-exposed-'));
    const engine = await createEngine({ dataDir, env: { GITHUB_TOKEN: ALICE.token, GITHUB_MODELS_BASE_URL: sim.url, GITHUB_API_BASE_URL: sim.url, ...env }, overrides: { host: '0.0.0.0', port: 0 } });
    await engine.start();
    const port = engine.snapshot().proxy.port;
    return {
      sim,
      engine,
      lan: `http://${lanAddress}:${port}`,
      local: `http://127.0.0.1:${port}`,
      async close() {
        await engine.shutdown();
        await sim.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  }

  it('refuses other machines on /v1 (chat, models, stats) with 403 client_key_required, serves this machine, and says so in /health', async () => {
    const x = await exposedEngine({});
    try {
      const chat = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
      for (const [method, path] of [['POST', '/v1/chat/completions'], ['GET', '/v1/models'], ['GET', '/v1/tokens/stats'], ['GET', '/%761/tokens/stats']] as const) {
        const answer = await get(x.lan, path, { 'content-type': 'application/json' }, method, method === 'POST' ? chat : undefined);
        expect(answer.status, `${method} ${path}`).toBe(403);
        expect(JSON.parse(answer.body).error.code).toBe('client_key_required');
      }
      expect((await fetch(`${x.local}/v1/models`)).status).toBe(200);
      const health = (await (await fetch(`${x.local}/health`)).json()) as { warnings: { code: string; message: string }[] };
      expect(health.warnings).toEqual([{ code: 'listening_without_client_key', message: expect.stringContaining('requests from other machines are refused') }]);
    } finally {
      await x.close();
    }
  });

  it('serves other machines when the person said so explicitly (SWITCHYARD_INSECURE_NO_CLIENT_KEY=1), with a warning', async () => {
    const x = await exposedEngine({ SWITCHYARD_INSECURE_NO_CLIENT_KEY: '1' });
    try {
      expect((await get(x.lan, '/v1/models', {})).status).toBe(200);
      const health = (await (await fetch(`${x.lan}/health`)).json()) as { warnings: { code: string; message: string }[] };
      expect(health.warnings).toEqual([{ code: 'listening_without_client_key', message: expect.stringContaining('anyone who can reach this machine') }]);
    } finally {
      await x.close();
    }
  });
});

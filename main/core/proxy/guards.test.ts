import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSettings, type Settings } from '../../../shared/settings';
import { installErrorHandlers } from './error-handler';
import { hostName, installGuards, isAllowedHost, isAllowedOrigin } from './guards';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** node:http, so the Host header can be anything (fetch would not allow it). */
function send(port: number, path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const errorOf = (answer: Answer) => (JSON.parse(answer.body) as { error: { message: string; type: string; code: string } }).error;

describe('isAllowedHost / hostName', () => {
  it('reads the name out of a Host header with or without port', () => {
    expect(hostName('LocalHost:4000')).toBe('localhost');
    expect(hostName('[::1]:4000')).toBe('::1');
    expect(hostName('[::1]')).toBe('::1');
    expect(hostName('127.0.0.1')).toBe('127.0.0.1');
    expect(hostName('example.com.:80')).toBe('example.com');
  });

  it('accepts loopback names on any port, whatever the configured host', () => {
    for (const header of ['localhost', 'localhost:4000', '127.0.0.1:1', '127.1.2.3:4000', '[::1]:4000']) expect(isAllowedHost(header, '127.0.0.1')).toBe(true);
  });

  it('refuses other names when bound to loopback, even IP literals', () => {
    for (const header of ['evil.example:4000', 'evil.example', '192.168.1.5:4000', 'localhost.evil.example', '[fe80::1]:4000']) expect(isAllowedHost(header, '127.0.0.1', 'box')).toBe(false);
  });

  it('accepts the configured host name', () => {
    expect(isAllowedHost('proxy.lan:4000', 'proxy.lan')).toBe(true);
    expect(isAllowedHost('other.lan:4000', 'proxy.lan')).toBe(false);
  });

  it('on a wildcard bind accepts IP literals and the machine name, not other names', () => {
    expect(isAllowedHost('192.168.1.5:4000', '0.0.0.0', 'box')).toBe(true);
    expect(isAllowedHost('[fe80::1]:4000', '::', 'box')).toBe(true);
    expect(isAllowedHost('box:4000', '0.0.0.0', 'Box')).toBe(true);
    expect(isAllowedHost('box.local', '0.0.0.0', 'box')).toBe(true);
    expect(isAllowedHost('attacker.example:4000', '0.0.0.0', 'box')).toBe(false);
  });

  it('matches allowed origins by their normalised origin', () => {
    expect(isAllowedOrigin('https://app.example', ['https://app.example/'])).toBe(true);
    expect(isAllowedOrigin('https://app.example', ['https://APP.example'])).toBe(true);
    expect(isAllowedOrigin('http://app.example', ['https://app.example'])).toBe(false);
    expect(isAllowedOrigin('null', ['https://app.example'])).toBe(false);
    expect(isAllowedOrigin('null', ['file:///Users/me/tool.html'])).toBe(false);
    expect(isAllowedOrigin('null', ['data:text/html,hi'])).toBe(false);
  });
});

describe('the guards on a real server', () => {
  let app: FastifyInstance;
  let port: number;
  let settings: Settings;

  beforeEach(async () => {
    settings = defaultSettings();
    app = Fastify();
    installErrorHandlers(app);
    await installGuards(app, () => settings);
    app.get('/', async (_request, reply) => reply.type('text/html').send('<html>dashboard</html>'));
    app.get('/health', async () => ({ status: 'ok' }));
    app.get('/v1/models', async () => ({ object: 'list', data: [] }));
    app.post('/v1/chat/completions', async () => ({ object: 'chat.completion' }));
    app.get('/admin/api/snapshot', async () => ({ admin: true }));
    app.post('/admin/api/reset', async () => ({ cleared: 0 }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as AddressInfo).port;
  });
  afterEach(() => app.close());

  describe('Host', () => {
    it('serves the dashboard, health and the API to loopback names', async () => {
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
        const page = await send(port, '/', { headers: { host } });
        expect(page.status).toBe(200);
        expect(page.body).toContain('dashboard');
        expect((await send(port, '/v1/models', { headers: { host } })).status).toBe(200);
      }
    });

    it('refuses a rebound name with an OpenAI-shaped 403 that says what to do', async () => {
      for (const path of ['/', '/health', '/v1/models', '/no/such/route']) {
        const answer = await send(port, path, { headers: { host: `rebind.attacker.example:${port}` } });
        expect(answer.status).toBe(403);
        const error = errorOf(answer);
        expect(error).toMatchObject({ type: 'permission_error', code: 'host_not_allowed' });
        expect(error.message).toContain('rebind.attacker.example');
        expect(error.message).toContain('HOST');
      }
    });

    it('accepts the configured host name once it is configured', async () => {
      expect((await send(port, '/health', { headers: { host: `proxy.lan:${port}` } })).status).toBe(403);
      settings = { ...settings, host: 'proxy.lan' };
      expect((await send(port, '/health', { headers: { host: `proxy.lan:${port}` } })).status).toBe(200);
    });
  });

  describe('Origin', () => {
    const host = () => `127.0.0.1:${port}`;

    it('lets requests without Origin through (curl, SDKs) and adds no CORS headers', async () => {
      const answer = await send(port, '/v1/models', { headers: { host: host() } });
      expect(answer.status).toBe(200);
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('lets same-origin pages (the dashboard) call the API and the admin API', async () => {
      const origin = `http://${host()}`;
      expect((await send(port, '/admin/api/reset', { method: 'POST', headers: { host: host(), origin } })).status).toBe(200);
      expect((await send(port, '/v1/chat/completions', { method: 'POST', headers: { host: host(), origin } })).status).toBe(200);
    });

    it('refuses a foreign origin by default, naming the setting to change', async () => {
      const answer = await send(port, '/v1/chat/completions', { method: 'POST', headers: { host: host(), origin: 'https://evil.example' } });
      expect(answer.status).toBe(403);
      const error = errorOf(answer);
      expect(error.code).toBe('origin_not_allowed');
      expect(error.message).toContain('https://evil.example');
      expect(error.message).toContain('allowedOrigins');
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('refuses a preflight from a foreign origin', async () => {
      const answer = await send(port, '/v1/chat/completions', { method: 'OPTIONS', headers: { host: host(), origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
      expect(answer.status).toBe(403);
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('answers an allowed origin with CORS headers, preflight included', async () => {
      settings = { ...settings, allowedOrigins: ['https://app.example'] };
      const preflight = await send(port, '/v1/chat/completions', {
        method: 'OPTIONS',
        headers: { host: host(), origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example');
      expect(String(preflight.headers['access-control-allow-methods'])).toContain('POST');
      expect(String(preflight.headers['access-control-allow-headers'])).toContain('authorization');
      const actual = await send(port, '/v1/chat/completions', { method: 'POST', headers: { host: host(), origin: 'https://app.example' } });
      expect(actual.status).toBe(200);
      expect(actual.headers['access-control-allow-origin']).toBe('https://app.example');
      const exposed = String(actual.headers['access-control-expose-headers']).split(/\s*,\s*/);
      for (const name of ['x-switchyard-account', 'retry-after', 'retry-after-ms', 'x-should-retry', 'x-switchyard-provider', 'x-switchyard-route-target']) expect(exposed).toContain(name);
    });

    it('keeps the admin API same-origin only, even for allowed origins', async () => {
      settings = { ...settings, allowedOrigins: ['https://app.example'] };
      const answer = await send(port, '/admin/api/snapshot', { headers: { host: host(), origin: 'https://app.example' } });
      expect(answer.status).toBe(403);
      expect(errorOf(answer).code).toBe('origin_not_allowed');
    });
  });

  describe('client API key', () => {
    const KEY = 'sk-switchyard-test-key-0123456789';
    const host = () => `127.0.0.1:${port}`;

    it('is not required while no key is set', async () => {
      expect((await send(port, '/v1/models', { headers: { host: host() } })).status).toBe(200);
    });

    it('when set, refuses /v1 without it and with a wrong one (401 invalid_api_key)', async () => {
      settings = { ...settings, apiKey: KEY };
      const missing = await send(port, '/v1/chat/completions', { method: 'POST', headers: { host: host() } });
      expect(missing.status).toBe(401);
      expect(errorOf(missing)).toMatchObject({ code: 'invalid_api_key', type: 'invalid_request_error' });
      expect(errorOf(missing).message).toContain('Authorization: Bearer');
      expect(missing.headers['www-authenticate']).toContain('Bearer');
      const wrong = await send(port, '/v1/models', { headers: { host: host(), authorization: 'Bearer sk-wrong-key-000000' } });
      expect(wrong.status).toBe(401);
      expect(errorOf(wrong).code).toBe('invalid_api_key');
      expect(wrong.body).not.toContain('sk-wrong-key');
    });

    it('when set, accepts it as a bearer token', async () => {
      settings = { ...settings, apiKey: KEY };
      const answer = await send(port, '/v1/models', { headers: { host: host(), authorization: `Bearer ${KEY}` } });
      expect(answer.status).toBe(200);
      expect(answer.headers['www-authenticate']).toBeUndefined();
    });

    it('when set, accepts it in x-api-key (as Anthropic clients send it), and refuses a wrong one there', async () => {
      settings = { ...settings, apiKey: KEY };
      expect((await send(port, '/v1/models', { headers: { host: host(), 'x-api-key': KEY } })).status).toBe(200);
      const wrong = await send(port, '/v1/models', { headers: { host: host(), 'x-api-key': `${KEY}x` } });
      expect(wrong.status).toBe(401);
      expect(errorOf(wrong).code).toBe('invalid_api_key');
      const wrongBoth = await send(port, '/v1/models', { headers: { host: host(), 'x-api-key': 'sk-nope-0000000000', authorization: 'Bearer sk-nope-1111111111' } });
      expect(wrongBoth.status).toBe(401);
      // A wrong bearer beside the right x-api-key (or the reverse) still presents the key.
      expect((await send(port, '/v1/models', { headers: { host: host(), 'x-api-key': KEY, authorization: 'Bearer sk-nope-1111111111' } })).status).toBe(200);
    });

    it('leaves /health, the dashboard and the admin routes to their own rules', async () => {
      settings = { ...settings, apiKey: KEY };
      expect((await send(port, '/health', { headers: { host: host() } })).status).toBe(200);
      expect((await send(port, '/', { headers: { host: host() } })).status).toBe(200);
      expect((await send(port, '/admin/api/snapshot', { headers: { host: host() } })).status).toBe(200);
    });

    it('lets an allowed origin preflight without the key (browsers never send it there)', async () => {
      settings = { ...settings, apiKey: KEY, allowedOrigins: ['https://app.example'] };
      const preflight = await send(port, '/v1/chat/completions', { method: 'OPTIONS', headers: { host: host(), origin: 'https://app.example', 'access-control-request-method': 'POST' } });
      expect(preflight.status).toBe(204);
    });
  });
});

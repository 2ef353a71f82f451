import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startServer, type TestServer } from '../upstream/test-servers';
import { providerFor } from './index';
import type { ProviderCredentials, ProviderId, ProviderRequest } from './types';
import { PROVIDER_IDS } from './types';

let server: TestServer;
beforeAll(async () => {
  server = await startServer((_req, res) => {
    res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '3' });
    res.end('{"error":{"message":"slow down","type":"requests","code":"rate_limit_exceeded"}}');
  });
});
afterAll(() => server.close());

function credsFor(id: ProviderId): ProviderCredentials {
  const key = `${id}-test-key`;
  if (id === 'cloudflare') return { key, baseUrl: `${server.url}/client/v4`, accountId: 'acc 1' };
  if (id === 'azure') return { key, baseUrl: '', endpoint: `${server.url}/azure` };
  return { key, baseUrl: `${server.url}/${id}/v1` };
}

async function send(built: ProviderRequest) {
  const answer = await request(built.url, { method: built.method, headers: built.headers, ...(built.body !== undefined ? { body: built.body } : {}) });
  const text = await answer.body.text();
  const headers = Object.fromEntries(Object.entries(answer.headers).map(([name, value]) => [name, Array.isArray(value) ? value[0]! : (value ?? '')]));
  return { status: answer.statusCode, headers, text };
}

const PATHS: Record<ProviderId, string> = {
  github: '/github/v1/inference/chat/completions',
  groq: '/groq/v1/chat/completions',
  gemini: '/gemini/v1/chat/completions',
  cerebras: '/cerebras/v1/chat/completions',
  openrouter: '/openrouter/v1/chat/completions',
  mistral: '/mistral/v1/chat/completions',
  cloudflare: '/client/v4/accounts/acc%201/ai/v1/chat/completions',
  openai: '/openai/v1/chat/completions',
  azure: '/azure/openai/v1/chat/completions',
  nvidia: '/nvidia/v1/chat/completions',
  'openai-compatible': '/openai-compatible/v1/chat/completions',
};

describe('each descriptor\'s request over a real socket', () => {
  it.each(PROVIDER_IDS)('%s: arrives at its path with its auth and a JSON body; the answer reads back', async (id) => {
    const provider = providerFor(id);
    const creds = credsFor(id);
    const built = provider.buildRequest('chat', creds, { model: 'some-model', messages: [{ role: 'user', content: 'hi' }], stream: false });
    const answer = await send(built);
    const seen = server.requests.at(-1)!;
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe(PATHS[id]);
    expect(seen.headers['content-type']).toBe('application/json');
    if (id === 'azure') expect(seen.headers['api-key']).toBe(creds.key);
    else expect(seen.headers.authorization).toBe(`Bearer ${creds.key}`);
    expect(JSON.parse(seen.body)).toMatchObject({ model: 'some-model', messages: [{ role: 'user', content: 'hi' }] });

    const limit = provider.readLimit(answer.status, answer.headers, answer.text, Date.UTC(2026, 8, 1));
    expect(limit).not.toBeNull();
    expect(limit!.resetAt).toBeGreaterThan(Date.UTC(2026, 8, 1));
    expect(JSON.stringify(limit)).not.toContain(creds.key);
  });

  it.each(PROVIDER_IDS)('%s: the models list request is a GET the server accepts', async (id) => {
    const built = providerFor(id).catalogRequest(credsFor(id));
    await send(built);
    const seen = server.requests.at(-1)!;
    expect(seen.method).toBe('GET');
    expect(seen.body).toBe('');
  });
});

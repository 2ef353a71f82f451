import { describe, expect, it } from 'vitest';
import { allProviders, isProviderId, PROVIDERS, providerFor } from './index';
import { maxBlockMs, WINDOW_MS } from './parse/bound';
import { MAX_COOLDOWN_MS, PROVIDER_IDS } from './types';

const now = Date.UTC(2026, 8, 1, 12, 0, 0);

/** DESIGN.md's table of environment names. */
const DESIGN_ENV: Record<string, { key: string; extra?: string; baseUrl?: string; defaultBaseUrl: string }> = {
  github: { key: 'GITHUB_TOKEN', baseUrl: 'GITHUB_MODELS_BASE_URL', defaultBaseUrl: 'https://models.github.ai' },
  groq: { key: 'GROQ_API_KEY', baseUrl: 'GROQ_BASE_URL', defaultBaseUrl: 'https://api.groq.com/openai/v1' },
  gemini: { key: 'GEMINI_API_KEY', baseUrl: 'GEMINI_BASE_URL', defaultBaseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai' },
  cerebras: { key: 'CEREBRAS_API_KEY', baseUrl: 'CEREBRAS_BASE_URL', defaultBaseUrl: 'https://api.cerebras.ai/v1' },
  openrouter: { key: 'OPENROUTER_API_KEY', baseUrl: 'OPENROUTER_BASE_URL', defaultBaseUrl: 'https://openrouter.ai/api/v1' },
  mistral: { key: 'MISTRAL_API_KEY', baseUrl: 'MISTRAL_BASE_URL', defaultBaseUrl: 'https://api.mistral.ai/v1' },
  cloudflare: { key: 'CLOUDFLARE_API_TOKEN', extra: 'CLOUDFLARE_ACCOUNT_ID', baseUrl: 'CLOUDFLARE_BASE_URL', defaultBaseUrl: 'https://api.cloudflare.com/client/v4' },
  openai: { key: 'OPENAI_API_KEY', baseUrl: 'OPENAI_BASE_URL', defaultBaseUrl: 'https://api.openai.com/v1' },
  azure: { key: 'AZURE_OPENAI_API_KEY', extra: 'AZURE_OPENAI_ENDPOINT', defaultBaseUrl: '' },
  nvidia: { key: 'NVIDIA_API_KEY', baseUrl: 'NVIDIA_BASE_URL', defaultBaseUrl: 'https://integrate.api.nvidia.com/v1' },
};

describe('the provider registry', () => {
  it('has a descriptor for every provider id, under its own id', () => {
    expect(Object.keys(PROVIDERS).sort()).toEqual([...PROVIDER_IDS].sort());
    for (const id of PROVIDER_IDS) expect(providerFor(id).id).toBe(id);
    expect(allProviders().map((provider) => provider.id)).toEqual([...PROVIDER_IDS]);
    expect(isProviderId('groq')).toBe(true);
    expect(isProviderId('grok')).toBe(false);
    expect(() => providerFor('grok' as never)).toThrow(/Unknown provider 'grok'/);
  });

  it.each(Object.entries(DESIGN_ENV))('%s uses DESIGN.md\'s environment names and default base URL', (id, expected) => {
    const provider = providerFor(id as never);
    const { defaultBaseUrl, ...env } = expected;
    expect(provider.env).toEqual(env);
    expect(provider.defaultBaseUrl).toBe(defaultBaseUrl);
  });

  it('only GitHub Models is retired', () => {
    expect(allProviders().filter((provider) => provider.retired).map((provider) => provider.id)).toEqual(['github']);
  });

  it.each(PROVIDER_IDS)('%s: a bundled catalog that loads, each model with an operation', (id) => {
    for (const model of providerFor(id).bundledCatalog()) {
      expect(model.operations.length).toBeGreaterThan(0);
      expect(providerFor(id).normalizeModelId(model.id)).toBe(model.id.toLowerCase());
    }
  });
});

describe('every provider bounds what it believes', () => {
  const garbled: Record<string, string>[] = [
    { 'retry-after': '999999999999' },
    { 'retry-after-ms': '1e308' },
    { 'retry-after': 'Fri, 31 Dec 9999 23:59:59 GMT' },
    { 'x-ratelimit-reset-requests': '99999999h', 'x-ratelimit-reset-tokens': '99999999h', 'x-ratelimit-reset-requests-day': '9e15', 'x-ratelimit-reset-tokens-minute': '9e15', 'x-ratelimit-reset': '9999999999999999', 'ratelimitbysize-reset': '9e15' },
    { 'retry-after': '-5', 'x-ratelimit-reset': 'soon' },
  ];
  const bodies = ['', 'not json', '{"error":{"message":"Please try again in 99999h."}}', '[{"error":{"code":429,"message":"Please retry in 9999999s."}}]', '{"errors":[{"code":3021}]}', '{"status":429}'];

  it.each(PROVIDER_IDS)('%s: no 429 blocks longer than its window or MAX_COOLDOWN_MS', (id) => {
    const provider = providerFor(id);
    for (const headers of garbled) {
      for (const body of bodies) {
        const signal = provider.readLimit(429, headers, body, now);
        expect(signal, `${JSON.stringify(headers)} ${body}`).not.toBeNull();
        if (signal!.resetAt === null) continue;
        expect(signal!.resetAt).toBeGreaterThanOrEqual(now);
        expect(signal!.resetAt - now).toBeLessThanOrEqual(Math.min(MAX_COOLDOWN_MS, maxBlockMs(signal!.window.period, signal!.scope)));
        // Only a monthly budget may block for more than a day; an unnamed window is no excuse.
        if (signal!.window.period !== 'month') expect(signal!.resetAt - now).toBeLessThanOrEqual(WINDOW_MS.day);
        // A 429 that names no day or month cannot block for two days.
        if (signal!.window.period === 'minute' || signal!.scope === 'capacity') expect(signal!.resetAt - now).toBeLessThanOrEqual(2 * 60_000);
      }
    }
  });

  it.each(PROVIDER_IDS)('%s: a 413 is the request\'s (no cooldown), a 402 is credits (a person acts)', (id) => {
    const provider = providerFor(id);
    expect(provider.readLimit(413, {}, '{"error":{"message":"Request Entity Too Large"}}', now)).toMatchObject({ scope: 'request', resetAt: null });
    if (id !== 'github') expect(provider.readLimit(402, {}, '{"error":{"message":"Payment required"}}', now)).toMatchObject({ scope: 'credits', resetAt: null });
  });

  it.each(PROVIDER_IDS)('%s: a success, a 500 and a 401 are not limits; translateError always has a message', (id) => {
    const provider = providerFor(id);
    expect(provider.readLimit(200, {}, '{}', now)).toBeNull();
    expect(provider.readLimit(500, {}, '<html><title>Bad gateway</title></html>', now)).toBeNull();
    expect(provider.readLimit(401, {}, '{"error":{"message":"bad key"}}', now)).toBeNull();
    for (const body of ['', '<html><title>Bad gateway</title></html>', 'plain words', '{}', '[]', 'null']) {
      const error = provider.translateError(502, {}, body);
      expect(error.message.length).toBeGreaterThan(0);
      expect(error.status).toBe(502);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { bodyText } from './http';
import { groq } from './groq';

const now = Date.UTC(2026, 8, 1, 12, 0, 0);
const creds = { key: 'gsk_testkey0123456789abcdef', baseUrl: 'https://api.groq.com/openai/v1' };
const rateLimitHeaders = {
  'x-ratelimit-limit-requests': '14400',
  'x-ratelimit-limit-tokens': '18000',
  'x-ratelimit-remaining-requests': '14370',
  'x-ratelimit-remaining-tokens': '17997',
  'x-ratelimit-reset-requests': '2m59.56s',
  'x-ratelimit-reset-tokens': '7.66s',
};
const body = (message: string, type: string) => JSON.stringify({ error: { message, type, code: 'rate_limit_exceeded' } });

describe('groq: the request it sends', () => {
  it('bearer auth, {base}/chat/completions, unsupported fields and message names dropped', () => {
    const request = groq.buildRequest('chat', creds, {
      model: 'llama-3.3-70b-versatile',
      messages: [{ role: 'user', content: 'hi', name: 'ann' }],
      logprobs: true,
      logit_bias: { 1: 2 },
      top_logprobs: 2,
      stream_options: { include_usage: true },
    });
    expect(request.method).toBe('POST');
    expect(request.url).toBe('https://api.groq.com/openai/v1/chat/completions');
    expect(request.headers.authorization).toBe(`Bearer ${creds.key}`);
    expect(request.headers['user-agent']).toBe('switchyard');
    expect(JSON.parse(bodyText(request))).toEqual({
      model: 'llama-3.3-70b-versatile',
      messages: [{ role: 'user', content: 'hi' }],
      stream_options: { include_usage: true },
    });
  });

  it('embeddings and the models list', () => {
    expect(groq.buildRequest('embeddings', creds, { model: 'x', input: 'a' }).url).toBe('https://api.groq.com/openai/v1/embeddings');
    expect(groq.catalogRequest({ ...creds, baseUrl: 'http://127.0.0.1:9/v1/' })).toMatchObject({ method: 'GET', url: 'http://127.0.0.1:9/v1/models' });
  });
});

describe('groq: reading answers (providers.md §1.3)', () => {
  it.each([
    {
      name: 'RPM: the prose delay, not the RPD reset header',
      message:
        'Rate limit reached for model `llama-3.1-8b-instant` in organization `org_01abc` service tier `on_demand` on requests per minute (RPM): Limit 30, Used 30, Requested 1. Please try again in 2s. Need more tokens? Upgrade to Dev Tier today at https://console.groq.com/settings/billing',
      type: 'requests',
      window: { period: 'minute', unit: 'requests' },
      resetAt: now + 2000,
      limit: 30,
    },
    {
      name: 'TPM with a 1.984999999s delay',
      message: 'Rate limit reached for model `llama-3.1-8b-instant` in organization `org_01abc` service tier `on_demand` on tokens per minute (TPM): Limit 6000, Used 5990, Requested 20. Please try again in 1.984999999s. Need more tokens?',
      type: 'tokens',
      window: { period: 'minute', unit: 'tokens' },
      resetAt: now + 1985,
      limit: 6000,
    },
    {
      name: 'TPD: 9m38.016s read whole (not 9 minutes)',
      message: 'Rate limit reached for model `llama-3.3-70b-versatile` in organization `org_01abc` service tier `on_demand` on tokens per day (TPD): Limit 100000, Used 97050, Requested 3619. Please try again in 9m38.016s. Need more tokens?',
      type: 'tokens',
      window: { period: 'day', unit: 'tokens' },
      resetAt: now + 578_016,
      limit: 100_000,
    },
  ])('$name', ({ message, type, window, resetAt, limit }) => {
    const signal = groq.readLimit(429, { ...rateLimitHeaders, 'retry-after': '2' }, body(message, type), now);
    expect(signal).toMatchObject({ scope: 'model', window, resetAt, source: 'prose', clamped: false, limit });
  });

  it('without prose, an RPD limit uses the RPD reset header; an RPM limit does not', () => {
    const rpd = groq.readLimit(429, rateLimitHeaders, body('… on requests per day (RPD): Limit 14400, Used 14400, Requested 1.', 'requests'), now);
    expect(rpd).toMatchObject({ window: { period: 'day', unit: 'requests' }, resetAt: now + 179_560, source: 'reset-header' });
    const rpm = groq.readLimit(429, rateLimitHeaders, body('… on requests per minute (RPM): Limit 30, Used 30, Requested 1.', 'requests'), now);
    expect(rpm).toMatchObject({ resetAt: now + 60_000, source: 'default' });
  });

  it('retry-after (integer seconds, only on 429) when there is no prose', () => {
    const signal = groq.readLimit(429, { 'retry-after': '7' }, body('on tokens per minute (TPM): Limit 6000, Used 6000, Requested 10.', 'tokens'), now);
    expect(signal).toMatchObject({ resetAt: now + 7000, source: 'retry-after' });
  });

  it('413, a request larger than the TPM limit: the request, no cooldown', () => {
    const message = 'Request too large for model `llama-3.1-8b-instant` in organization `org_01abc` service tier `on_demand` on tokens per minute (TPM): Limit 6000, Requested 12328, please reduce your message size and try again.';
    expect(groq.readLimit(413, {}, body(message, 'tokens'), now)).toMatchObject({ scope: 'request', resetAt: null, limit: 6000 });
  });

  it('a garbled 9999h delay for an RPM limit is bounded by the minute and marked clamped', () => {
    const signal = groq.readLimit(429, {}, body('on requests per minute (RPM): Limit 30, Used 30, Requested 1. Please try again in 9999h.', 'requests'), now);
    expect(signal).toMatchObject({ resetAt: now + 60_000, clamped: true });
  });

  it('498 flex capacity is capacity; a 401 is not a limit', () => {
    expect(groq.readLimit(498, {}, '{"error":{"code":"capacity_exceeded"}}', now)).toMatchObject({ scope: 'capacity' });
    expect(groq.readLimit(401, {}, '{"error":{"message":"Invalid API Key","type":"invalid_request_error","code":"invalid_api_key"}}', now)).toBeNull();
  });

  it('the organization named in an answer is the owner', () => {
    expect(groq.ownerFromAnswer!(429, {}, body('Rate limit reached for model `m` in organization `org_01abc` service tier', 'requests'))).toBe('org_01abc');
    expect(groq.ownerFromAnswer!(200, {}, '{}')).toBeNull();
  });

  it('success headers: requests = RPD, tokens = TPM, Go-duration resets', () => {
    expect(groq.readRemaining(rateLimitHeaders, now)).toEqual([
      { scope: 'model', window: { period: 'day', unit: 'requests' }, limit: 14400, remaining: 14370, resetAt: now + 179_560, refill: 'continuous' },
      { scope: 'model', window: { period: 'minute', unit: 'tokens' }, limit: 18000, remaining: 17997, resetAt: now + 7660, refill: 'continuous' },
    ]);
    expect(groq.readRemaining({}, now)).toEqual([]);
  });

  it('translates its errors (OpenAI-shaped already), keys masked', () => {
    const error = groq.translateError(401, {}, '{"error":{"message":"Invalid API Key gsk_abcdefghijklmnop1234","type":"invalid_request_error","code":"invalid_api_key"}}');
    expect(error).toEqual({ status: 401, type: 'invalid_request_error', code: 'invalid_api_key', message: 'Invalid API Key gsk_…34', param: null });
  });
});

describe('groq: catalog', () => {
  it('parses the models list, drops inactive ones and speech models, keeps context windows', () => {
    const models = groq.parseCatalog({
      object: 'list',
      data: [
        { id: 'llama-3.3-70b-versatile', object: 'model', created: 1, owned_by: 'Meta', active: true, context_window: 131072, public_apps: null },
        { id: 'old-model', object: 'model', active: false },
        { id: 'nomic-embed-text', object: 'model', active: true },
        { id: 'whisper-large-v3', object: 'model', active: true },
        { id: 'playai-tts', object: 'model', active: true },
        { object: 'model' },
      ],
    });
    expect(models).toEqual([
      { id: 'llama-3.3-70b-versatile', upstreamId: 'llama-3.3-70b-versatile', operations: ['chat'], contextWindow: 131072 },
      { id: 'nomic-embed-text', upstreamId: 'nomic-embed-text', operations: ['embeddings'] },
    ]);
    expect(() => groq.parseCatalog({ nope: true })).toThrow(/data/);
  });

  it('bundles the free-plan models of providers.md', () => {
    expect(groq.bundledCatalog().map((model) => model.id)).toContain('llama-3.3-70b-versatile');
    expect(groq.normalizeModelId(' Llama-3.3-70B-Versatile ')).toBe('llama-3.3-70b-versatile');
  });
});

import { describe, expect, it } from 'vitest';
import { openrouter } from './openrouter';

const now = Date.UTC(2026, 8, 1, 12, 0, 0);
const creds = { key: 'sk-or-v1-0123456789abcdef0123', baseUrl: 'https://openrouter.ai/api/v1' };

describe('openrouter: the request it sends', () => {
  it('bearer auth, {base}/chat/completions, an X-Title; identity is GET {base}/key', () => {
    const request = openrouter.buildRequest('chat', creds, { model: 'google/gemma-4-31b-it:free', messages: [] });
    expect(request.url).toBe('https://openrouter.ai/api/v1/chat/completions');
    expect(request.headers).toMatchObject({ authorization: `Bearer ${creds.key}`, 'x-title': 'Switchyard' });
    expect(openrouter.identityRequest!(creds)).toMatchObject({ method: 'GET', url: 'https://openrouter.ai/api/v1/key', headers: { authorization: `Bearer ${creds.key}` } });
  });

  it('reads the account behind a key', () => {
    expect(openrouter.readIdentity!({ data: { label: 'sk-or-v1-abc...', creator_user_id: 'user_2x', limit: null, usage: 0, is_free_tier: true } })).toEqual({ ownerId: 'user_2x', label: 'sk-or-v1-abc...' });
    expect(openrouter.readIdentity!({ data: { label: 'x' } })).toBeNull();
  });
});

describe('openrouter: reading answers (providers.md §3.3)', () => {
  const daily = (reset: string, variant = 'free-models-per-day') =>
    JSON.stringify({
      error: {
        message: `Rate limit exceeded: ${variant}. Add 10 credits to unlock 1000 free model requests per day`,
        code: 429,
        metadata: { headers: { 'X-RateLimit-Limit': '50', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': reset } },
      },
    });

  it('free-models-per-day: the whole account\'s :free pool, reset at X-RateLimit-Reset (epoch ms)', () => {
    const reset = Date.UTC(2026, 8, 2);
    const signal = openrouter.readLimit(429, {}, daily(String(reset)), now);
    expect(signal).toMatchObject({ scope: 'owner', modelPool: 'free', window: { period: 'day', unit: 'requests' }, resetAt: reset, source: 'reset-header', limit: 50 });
  });

  it('free-models-per-day-high-balance is the same pool; a garbled reset falls back to the next UTC midnight', () => {
    const signal = openrouter.readLimit(429, {}, daily('<epoch ms>', 'free-models-per-day-high-balance'), now);
    expect(signal).toMatchObject({ scope: 'owner', window: { period: 'day' }, resetAt: Date.UTC(2026, 8, 2), source: 'calendar' });
  });

  it('free-models-per-min: the 20 RPM cap; a reset two days away is bounded by the minute', () => {
    const signal = openrouter.readLimit(429, {}, daily(String(now + 2 * 86_400_000), 'free-models-per-min'), now);
    expect(signal).toMatchObject({ scope: 'owner', window: { period: 'minute', unit: 'requests' }, resetAt: now + 60_000, clamped: true });
  });

  it('an upstream provider\'s 429 is capacity (every account at once), for retry_after_seconds', () => {
    const body = {
      error: {
        message: 'Provider returned error',
        code: 429,
        metadata: {
          raw: 'google/gemma-4-31b-it:free is temporarily rate-limited upstream. Please retry shortly, or add your own key to accumulate your rate limits: https://openrouter.ai/settings/integrations',
          provider_name: 'Google AI Studio',
          is_byok: false,
          provider_error_code: '429',
        },
      },
      user_id: 'user_2x',
    };
    expect(openrouter.readLimit(429, {}, JSON.stringify(body), now)).toMatchObject({ scope: 'capacity', resetAt: now + 15_000, source: 'default' });
    const timed = structuredClone(body) as typeof body & { error: { metadata: Record<string, unknown> } };
    Object.assign(timed.error.metadata, { retry_after_seconds: 15, retry_after_seconds_raw: 14.237, headers: { 'Retry-After': '15' } });
    const signal = openrouter.readLimit(429, {}, JSON.stringify(timed), now);
    expect(signal).toMatchObject({ scope: 'capacity', resetAt: now + 14_237, source: 'body' });
    expect(signal!.message).toContain('temporarily rate-limited upstream');
  });

  it('an upstream retry_after_seconds of a day is still a short pause', () => {
    const body = { error: { message: 'Provider returned error', code: 429, metadata: { provider_name: 'X', retry_after_seconds: 86_400 } } };
    expect(openrouter.readLimit(429, {}, JSON.stringify(body), now)).toMatchObject({ scope: 'capacity', resetAt: now + 120_000, clamped: true });
  });

  it('402 in-flight budget: a short pause for Retry-After', () => {
    const body = { error: { message: 'This request would exceed your available credits given your current in-flight requests...', code: 402, metadata: { reason: 'in_flight_budget_exhausted', limit_source: 'openrouter_in_flight_budget' } } };
    expect(openrouter.readLimit(402, { 'retry-after': '3' }, JSON.stringify(body), now)).toMatchObject({ scope: 'concurrency', resetAt: now + 3000, source: 'retry-after' });
  });

  it('402 for fewer max_tokens: the request; 402 credits gone: waits for a person', () => {
    const fewer = { error: { message: 'This request requires more credits, or fewer max_tokens. You requested up to 32000 tokens, but can only afford 0', code: 402 } };
    expect(openrouter.readLimit(402, {}, JSON.stringify(fewer), now)).toMatchObject({ scope: 'request', resetAt: null });
    const gone = { error: { message: 'Insufficient credits', code: 402, metadata: { limit_source: 'openrouter_credits' } } };
    expect(openrouter.readLimit(402, {}, JSON.stringify(gone), now)).toMatchObject({ scope: 'credits', resetAt: null });
  });

  it('translates errors: the numeric code is the status, not a code', () => {
    expect(openrouter.translateError(401, {}, '{"error":{"message":"User not found.","code":401}}')).toEqual({ status: 401, type: 'authentication_error', code: null, message: 'User not found.', param: null });
  });

  it('translates a missing key and a moderation 403', () => {
    expect(openrouter.translateError(401, {}, '{"error":{"message":"No cookie auth credentials found","code":401}}')).toMatchObject({ type: 'authentication_error', message: 'No cookie auth credentials found' });
    const moderation = '{"error":{"code":403,"message":"google/gemma-4-31b-it:free requires moderation on Google AI Studio. Your input was flagged for \\"harassment\\"","metadata":{"reasons":["harassment"],"flagged_input":"…","provider_name":"Google AI Studio","model_slug":"google/gemma-4-31b-it:free"}}}';
    expect(openrouter.translateError(403, {}, moderation)).toMatchObject({ status: 403, type: 'permission_error' });
    expect(openrouter.readLimit(403, {}, moderation, now)).toBeNull();
  });

  it('parses its models list', () => {
    const models = openrouter.parseCatalog({
      data: [
        { id: 'google/gemma-4-31b-it:free', context_length: 131072, pricing: { prompt: '0', completion: '0' }, architecture: { input_modalities: ['text', 'image'] }, supported_parameters: ['tools', 'max_tokens'] },
        { id: 'x/plain', context_length: 8192 },
      ],
    });
    expect(models).toEqual([
      { id: 'google/gemma-4-31b-it:free', upstreamId: 'google/gemma-4-31b-it:free', operations: ['chat'], capabilities: { tools: true, jsonSchema: false, vision: true }, contextWindow: 131072 },
      { id: 'x/plain', upstreamId: 'x/plain', operations: ['chat'], contextWindow: 8192 },
    ]);
  });
});

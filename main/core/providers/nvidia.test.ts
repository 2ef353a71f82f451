import { describe, expect, it } from 'vitest';
import { nvidia } from './nvidia';

const now = Date.UTC(2026, 8, 1, 12, 0, 0);

describe('nvidia', () => {
  it('bearer auth and {base}/chat/completions', () => {
    const request = nvidia.buildRequest('chat', { key: 'nvapi-0123456789abc', baseUrl: 'https://integrate.api.nvidia.com/v1' }, { model: 'meta/llama-3.3-70b-instruct' });
    expect(request.url).toBe('https://integrate.api.nvidia.com/v1/chat/completions');
    expect(request.headers.authorization).toBe('Bearer nvapi-0123456789abc');
  });

  it('a headerless problem+json 429: the account for a minute (about 40 RPM)', () => {
    expect(nvidia.readLimit(429, {}, '{"status":429,"title":"Too Many Requests"}', now)).toMatchObject({ scope: 'owner', window: { period: 'minute', unit: 'requests' }, resetAt: now + 60_000, source: 'default', message: 'Too Many Requests' });
  });

  it('translates problem+json: detail, else title; no numeric code', () => {
    expect(nvidia.translateError(404, {}, `{"status":404,"title":"Not Found","detail":"Function '0b3f': Not found for account 'abc'"}`)).toEqual({ status: 404, type: 'not_found_error', code: null, message: "Function '0b3f': Not found for account 'abc'", param: null });
    expect(nvidia.translateError(429, {}, '{"status":429,"title":"Too Many Requests"}').message).toBe('Too Many Requests');
    expect(nvidia.readLimit(503, {}, '', now)).toBeNull();
  });
});

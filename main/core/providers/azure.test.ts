import { describe, expect, it } from 'vitest';
import { bodyText } from './http';
import { azure } from './azure';

const now = Date.UTC(2026, 8, 1, 12, 0, 0);
const creds = { key: 'azure-key-1', baseUrl: '', endpoint: 'https://acme.openai.azure.com' };

describe('azure: the request it sends', () => {
  it('api-key auth, the endpoint + /openai/v1, the deployment name as the model', () => {
    const request = azure.buildRequest('chat', creds, { model: 'my-gpt-4o-deployment', messages: [] });
    expect(request.url).toBe('https://acme.openai.azure.com/openai/v1/chat/completions');
    expect(request.headers['api-key']).toBe('azure-key-1');
    expect(request.headers.authorization).toBeUndefined();
    expect(JSON.parse(bodyText(request)).model).toBe('my-gpt-4o-deployment');
    expect(azure.catalogRequest(creds).url).toBe('https://acme.openai.azure.com/openai/v1/models');
  });

  it('a base URL in effect wins; no endpoint at all is a clear error', () => {
    expect(azure.buildRequest('embeddings', { key: 'k', baseUrl: 'http://127.0.0.1:5/openai/v1' }, {}).url).toBe('http://127.0.0.1:5/openai/v1/embeddings');
    expect(() => azure.buildRequest('chat', { key: 'k', baseUrl: '' }, {})).toThrow(/AZURE_OPENAI_ENDPOINT/);
  });
});

describe('azure: reading answers (providers.md §6.3)', () => {
  const error = (message: string) => JSON.stringify({ error: { code: '429', message } });

  it('retry-after-ms wins over retry-after and the prose', () => {
    const body = error('Your requests to gpt-4.1-nano for gpt-4.1-nano in Sweden Central have exceeded the token rate limit for your current AIServices S0 pricing tier. Please retry after 45 seconds.');
    expect(azure.readLimit(429, { 'retry-after-ms': '44500', 'retry-after': '45' }, body, now)).toMatchObject({ scope: 'model', window: { period: 'minute', unit: 'tokens' }, resetAt: now + 44_500, source: 'retry-after-ms' });
    expect(azure.readLimit(429, {}, body, now)).toMatchObject({ resetAt: now + 45_000, source: 'prose' });
  });

  it('"Rate limit is exceeded. Try again in 2 seconds." is the call (request) limit', () => {
    expect(azure.readLimit(429, {}, error('Rate limit is exceeded. Try again in 2 seconds.'), now)).toMatchObject({ window: { period: 'minute', unit: 'requests' }, resetAt: now + 2000 });
  });

  it('the older "retry after 86400 seconds" cannot block a per-minute deployment limit for a day', () => {
    const body = error('Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-08-01-preview have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 86400 seconds.');
    expect(azure.readLimit(429, {}, body, now)).toMatchObject({ window: { unit: 'tokens' }, resetAt: now + 60_000, clamped: true });
  });

  it('high demand is the region\'s capacity', () => {
    const body = error('The system is currently experiencing high demand and cannot process your request. Please retry after 20 seconds.');
    expect(azure.readLimit(429, {}, body, now)).toMatchObject({ scope: 'capacity', resetAt: now + 20_000, source: 'prose' });
  });

  it('success headers: remaining requests and tokens', () => {
    expect(azure.readRemaining({ 'x-ratelimit-limit-requests': '8', 'x-ratelimit-remaining-requests': '7', 'x-ratelimit-limit-tokens': '8000', 'x-ratelimit-remaining-tokens': '7500' }, now)).toEqual([
      { scope: 'model', window: { period: 'minute', unit: 'requests' }, limit: 8, remaining: 7, resetAt: null, refill: 'continuous' },
      { scope: 'model', window: { period: 'minute', unit: 'tokens' }, limit: 8000, remaining: 7500, resetAt: null, refill: 'continuous' },
    ]);
  });

  it('the Responses API\'s -1 values are not believed', () => {
    expect(azure.readRemaining({ 'x-ratelimit-remaining-requests': '-1', 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-limit-tokens': '-1' }, now)).toEqual([
      { scope: 'model', window: { period: 'minute', unit: 'tokens' }, limit: null, remaining: 0, resetAt: null, refill: 'continuous' },
    ]);
  });

  it('translates a content filter 400', () => {
    const body = '{"error":{"message":"The response was filtered due to the prompt triggering Azure OpenAI\'s content management policy.","type":null,"param":"prompt","code":"content_filter","status":400,"innererror":{"code":"ResponsibleAIPolicyViolation","content_filter_result":{}}}}';
    expect(azure.translateError(400, {}, body)).toEqual({ status: 400, type: 'invalid_request_error', code: 'content_filter', message: "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.", param: 'prompt' });
  });
});

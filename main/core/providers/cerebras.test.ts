import { describe, expect, it } from 'vitest';
import { bodyText } from './http';
import { cerebras, CEREBRAS_DEFAULT_MAX_COMPLETION_TOKENS } from './cerebras';

const now = Date.UTC(2026, 8, 1, 12, 0, 0);
const creds = { key: 'csk-0123456789abcdef', baseUrl: 'https://api.cerebras.ai/v1' };

describe('cerebras: the request it sends', () => {
  it('a sane max_completion_tokens when absent (it is reserved against TPM), unsupported fields dropped', () => {
    const request = cerebras.buildRequest('chat', creds, { model: 'gpt-oss-120b', messages: [], presence_penalty: 1, frequency_penalty: 1, logit_bias: {}, parallel_tool_calls: true, service_tier: 'auto' });
    expect(request.url).toBe('https://api.cerebras.ai/v1/chat/completions');
    expect(request.headers.authorization).toBe(`Bearer ${creds.key}`);
    expect(JSON.parse(bodyText(request))).toEqual({ model: 'gpt-oss-120b', messages: [], max_completion_tokens: CEREBRAS_DEFAULT_MAX_COMPLETION_TOKENS });
  });

  it('keeps the client\'s own limit', () => {
    expect(JSON.parse(bodyText(cerebras.buildRequest('chat', creds, { model: 'm', max_completion_tokens: 50 })))).toEqual({ model: 'm', max_completion_tokens: 50 });
    expect(JSON.parse(bodyText(cerebras.buildRequest('chat', creds, { model: 'm', max_tokens: 70 })))).toEqual({ model: 'm', max_tokens: 70 });
  });
});

describe('cerebras: reading answers (providers.md §4.3, unwrapped bodies)', () => {
  const headers = { 'x-ratelimit-reset-requests-day': '33011.382867', 'x-ratelimit-reset-tokens-minute': '30.2' };

  it('RPM: per model; no matching reset header, so a minute', () => {
    const body = '{"message":"Requests per minute limit exceeded - too many requests sent.","type":"too_many_requests_error","param":"quota","code":"request_quota_exceeded"}';
    expect(cerebras.readLimit(429, headers, body, now)).toMatchObject({ scope: 'model', window: { period: 'minute', unit: 'requests' }, resetAt: now + 60_000, source: 'default' });
  });

  it('TPM: the tokens-minute reset header, float seconds', () => {
    const body = '{"message":"Tokens per minute limit exceeded - too many tokens processed.","type":"too_many_tokens_error","param":"quota","code":"token_quota_exceeded"}';
    expect(cerebras.readLimit(429, headers, body, now)).toMatchObject({ window: { period: 'minute', unit: 'tokens' }, resetAt: now + 30_200, source: 'reset-header' });
  });

  it('TPD with Retry-After: 86399', () => {
    const body = '{"message":"Tokens per day limit exceeded - too many tokens processed.","type":"too_many_tokens_error","param":"quota","code":"token_quota_exceeded"}';
    expect(cerebras.readLimit(429, { 'retry-after': '86399' }, body, now)).toMatchObject({ window: { period: 'day', unit: 'tokens' }, resetAt: now + 86_399_000, source: 'retry-after', clamped: false });
  });

  it('queue_exceeded (high traffic) is capacity: a short pause, never a long block', () => {
    const body = '{"message":"We\'re experiencing high traffic right now! Please try again soon.","type":"too_many_requests_error","param":"queue","code":"queue_exceeded"}';
    expect(cerebras.readLimit(429, {}, body, now)).toMatchObject({ scope: 'capacity', resetAt: now + 5000 });
    expect(cerebras.readLimit(429, { 'retry-after': '86399' }, body, now)).toMatchObject({ scope: 'capacity', resetAt: now + 120_000, clamped: true });
  });

  it('success headers: requests per day and tokens per minute, float-second resets', () => {
    const success = { ...headers, 'x-ratelimit-limit-requests-day': '14400', 'x-ratelimit-remaining-requests-day': '14399', 'x-ratelimit-limit-tokens-minute': '60000', 'x-ratelimit-remaining-tokens-minute': '59000' };
    expect(cerebras.readRemaining(success, now)).toEqual([
      { scope: 'model', window: { period: 'day', unit: 'requests' }, limit: 14400, remaining: 14399, resetAt: now + 33_011_383, refill: 'continuous' },
      { scope: 'model', window: { period: 'minute', unit: 'tokens' }, limit: 60000, remaining: 59000, resetAt: now + 30_200, refill: 'continuous' },
    ]);
  });

  it('translates the unwrapped body', () => {
    expect(cerebras.translateError(429, {}, '{"message":"Requests per minute limit exceeded - too many requests sent.","type":"too_many_requests_error","param":"quota","code":"request_quota_exceeded"}')).toEqual({
      status: 429,
      type: 'too_many_requests_error',
      code: 'request_quota_exceeded',
      message: 'Requests per minute limit exceeded - too many requests sent.',
      param: 'quota',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { bodyText } from './http';
import { mistral } from './mistral';

const now = Date.UTC(2026, 8, 15, 12, 0, 0);
const creds = { key: 'mistral-test-key', baseUrl: 'https://api.mistral.ai/v1' };
const rateLimited = '{"object":"error","message":"Rate limit exceeded","type":"rate_limited","param":null,"code":"1300"}';

describe('mistral: the request it sends', () => {
  it('strips stream_options and what it does not take, renames seed to random_seed', () => {
    const request = mistral.buildRequest('chat', creds, { model: 'mistral-small-latest', messages: [], stream: true, stream_options: { include_usage: true }, seed: 7, top_k: 3, min_p: 0.1, logit_bias: {}, logprobs: true });
    expect(request.url).toBe('https://api.mistral.ai/v1/chat/completions');
    expect(request.headers.authorization).toBe('Bearer mistral-test-key');
    expect(JSON.parse(bodyText(request))).toEqual({ model: 'mistral-small-latest', messages: [], stream: true, random_seed: 7 });
  });
});

describe('mistral: reading answers (providers.md §5.3–5.4)', () => {
  it('rate_limited with the monthly budget gone: the owner until the month rolls over', () => {
    const signal = mistral.readLimit(429, { 'x-ratelimitbysize-remaining-month': '0', 'x-ratelimitbysize-remaining-minute': '1000' }, rateLimited, now);
    expect(signal).toMatchObject({ scope: 'owner', window: { period: 'month', unit: 'tokens' }, resetAt: Date.UTC(2026, 9, 1), source: 'calendar' });
  });

  it('rate_limited with the minute gone: ratelimitbysize-reset seconds', () => {
    const signal = mistral.readLimit(429, { 'x-ratelimitbysize-remaining-minute': '0', 'ratelimitbysize-reset': '23' }, rateLimited, now);
    expect(signal).toMatchObject({ scope: 'owner', window: { period: 'minute', unit: 'tokens' }, resetAt: now + 23_000, source: 'reset-header' });
  });

  it('otherwise the 1 RPS limit: a second, and no garbled header blocks beyond a minute', () => {
    expect(mistral.readLimit(429, {}, rateLimited, now)).toMatchObject({ scope: 'owner', window: { period: null, unit: null }, resetAt: now + 1000, source: 'default' });
    expect(mistral.readLimit(429, { 'retry-after': '999999' }, rateLimited, now)).toMatchObject({ resetAt: now + 60_000, clamped: true });
    expect(mistral.readLimit(429, {}, '{"message":"Requests rate limit exceeded"}', now)).toMatchObject({ resetAt: now + 1000 });
    // Tokens left this minute: the minute's reset header is not this 429's end (the second is).
    expect(mistral.readLimit(429, { 'x-ratelimitbysize-remaining-minute': '499950', 'ratelimitbysize-reset': '58' }, rateLimited, now)).toMatchObject({ window: { period: null, unit: null }, resetAt: now + 1000, source: 'default' });
  });

  it('"Service tier capacity exceeded" is capacity, not a user limit', () => {
    const body = '{"object":"error","message":"Service tier capacity exceeded for this model.","type":"invalid_request_error","param":null,"code":null}';
    expect(mistral.readLimit(429, {}, body, now)).toMatchObject({ scope: 'capacity', resetAt: now + 5000 });
  });

  it('success headers: tokens per minute and per month', () => {
    const headers = { 'x-ratelimitbysize-limit-minute': '500000', 'x-ratelimitbysize-remaining-minute': '499000', 'ratelimitbysize-reset': '40', 'x-ratelimitbysize-limit-month': '1000000000', 'x-ratelimitbysize-remaining-month': '999000000' };
    expect(mistral.readRemaining(headers, now)).toEqual([
      { scope: 'owner', window: { period: 'minute', unit: 'tokens' }, limit: 500000, remaining: 499000, resetAt: now + 40_000, refill: 'window' },
      { scope: 'owner', window: { period: 'month', unit: 'tokens' }, limit: 1_000_000_000, remaining: 999_000_000, resetAt: null, refill: 'window' },
    ]);
  });

  it('translates the 422 whose message is an object', () => {
    const body = '{"object":"error","message":{"detail":[{"type":"extra_forbidden","loc":["body","stream_options","include_usage"],"msg":"Extra inputs are not permitted","input":true}]},"type":"invalid_request_error","param":null,"code":null}';
    expect(mistral.translateError(422, {}, body)).toEqual({ status: 422, type: 'invalid_request_error', code: null, message: 'body.stream_options.include_usage: Extra inputs are not permitted', param: null });
  });
});

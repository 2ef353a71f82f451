import { describe, expect, it } from 'vitest';
import { bodyText } from './http';
import { openai } from './openai';
import { openaiCompatible } from './openai-compatible';

const now = Date.UTC(2026, 8, 1, 12, 0, 0);
const creds = { key: 'sk-proj-0123456789abcdefghij', baseUrl: 'https://api.openai.com/v1' };
const tpm = '{"error":{"message":"Rate limit reached for gpt-4o in organization org-abc123 on tokens per min (TPM): Limit 30000, Used 29937, Requested 385. Please try again in 644ms. Visit https://platform.openai.com/account/rate-limits to learn more.","type":"tokens","param":null,"code":"rate_limit_exceeded"}}';

describe('openai: the request it sends', () => {
  it('bearer auth and {base}/chat/completions, the body unchanged', () => {
    const body = { model: 'gpt-4o', messages: [], seed: 1, stream_options: { include_usage: true } };
    const request = openai.buildRequest('chat', creds, body);
    expect(request.url).toBe('https://api.openai.com/v1/chat/completions');
    expect(request.headers.authorization).toBe(`Bearer ${creds.key}`);
    expect(JSON.parse(bodyText(request))).toEqual(body);
  });
});

describe('openai: reading answers (providers.md §7.4)', () => {
  it('TPM: 644ms from the prose (ms before m), the organization', () => {
    expect(openai.readLimit(429, {}, tpm, now)).toMatchObject({ scope: 'model', window: { period: 'minute', unit: 'tokens' }, resetAt: now + 644, source: 'prose', limit: 30000 });
    expect(openai.ownerFromAnswer!(429, {}, tpm)).toBe('org-abc123');
  });

  it('retry-after-ms first when sent', () => {
    expect(openai.readLimit(429, { 'retry-after-ms': '700' }, tpm, now)).toMatchObject({ resetAt: now + 700, source: 'retry-after-ms' });
  });

  it('RPD: 28m48s', () => {
    const body = '{"error":{"message":"Rate limit reached for gpt-4o in organization org-abc123 on requests per day (RPD): Limit 50, Used 50, Requested 1. Please try again in 28m48s. Visit …","type":"requests","param":null,"code":"rate_limit_exceeded"}}';
    expect(openai.readLimit(429, {}, body, now)).toMatchObject({ window: { period: 'day', unit: 'requests' }, resetAt: now + 1_728_000 });
    // The per-minute requests reset (1s) is another window of the same unit: the prose wins.
    expect(openai.readLimit(429, { 'x-ratelimit-reset-requests': '1s' }, body, now)).toMatchObject({ resetAt: now + 1_728_000, source: 'prose' });
    expect(openai.readLimit(429, { 'x-ratelimit-reset-requests': '20s' }, '{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}', now)).toMatchObject({ resetAt: now + 20_000, source: 'reset-header' });
  });

  it('request too large (Requested > Limit, no Used): the request, no cooldown', () => {
    const body = '{"error":{"message":"Request too large for gpt-4o in organization org-abc123 on tokens per min (TPM): Limit 30000, Requested 30601. The input or output tokens must be reduced.","type":"tokens","param":null,"code":"rate_limit_exceeded"}}';
    expect(openai.readLimit(429, {}, body, now)).toMatchObject({ scope: 'request', resetAt: null });
  });

  it('insufficient_quota (and credit_balance_exhausted) is credits: a person must act', () => {
    const body = '{"error":{"message":"You exceeded your current quota, please check your plan and billing details.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}';
    expect(openai.readLimit(429, {}, body, now)).toMatchObject({ scope: 'credits', resetAt: null });
    expect(openai.readLimit(429, {}, '{"error":{"message":"m","type":"insufficient_quota","code":"credit_balance_exhausted"}}', now)).toMatchObject({ scope: 'credits' });
  });

  it('success headers with Go-duration resets (1s, 6m0s)', () => {
    const headers = { 'x-ratelimit-limit-requests': '60', 'x-ratelimit-limit-tokens': '150000', 'x-ratelimit-remaining-requests': '59', 'x-ratelimit-remaining-tokens': '149984', 'x-ratelimit-reset-requests': '1s', 'x-ratelimit-reset-tokens': '6m0s' };
    expect(openai.readRemaining(headers, now)).toEqual([
      { scope: 'model', window: { period: null, unit: 'requests' }, limit: 60, remaining: 59, resetAt: now + 1000, refill: 'continuous' },
      { scope: 'model', window: { period: null, unit: 'tokens' }, limit: 150000, remaining: 149984, resetAt: now + 360_000, refill: 'continuous' },
    ]);
  });
});

describe('openai-compatible: any endpoint in OpenAI\'s dialect', () => {
  it('sends to the base URL given, reads limits as OpenAI does', () => {
    const request = openaiCompatible.buildRequest('chat', { key: 'local-key', baseUrl: 'http://127.0.0.1:8080/v1' }, { model: 'qwen', messages: [] });
    expect(request.url).toBe('http://127.0.0.1:8080/v1/chat/completions');
    expect(request.headers.authorization).toBe('Bearer local-key');
    expect(openaiCompatible.readLimit(429, { 'retry-after': '3' }, '{"error":{"message":"slow down"}}', now)).toMatchObject({ scope: 'model', resetAt: now + 3000, source: 'retry-after' });
    expect(openaiCompatible.readLimit(429, {}, 'Too Many Requests', now)).toMatchObject({ resetAt: now + 60_000, source: 'default' });
    expect(openaiCompatible.bundledCatalog()).toEqual([]);
  });

  it('a bare x-ratelimit-reset is read by magnitude only when nothing else states a reset', () => {
    const slow = '{"error":{"message":"slow down"}}';
    expect(openaiCompatible.readLimit(429, { 'x-ratelimit-reset': '12' }, slow, now)).toMatchObject({ resetAt: now + 12_000, source: 'reset-header' });
    expect(openaiCompatible.readLimit(429, { 'x-ratelimit-reset': String(now + 30_000) }, slow, now)).toMatchObject({ resetAt: now + 30_000 });
    expect(openaiCompatible.readLimit(429, { 'x-ratelimit-reset': '12', 'retry-after': '3' }, slow, now)).toMatchObject({ resetAt: now + 3000, source: 'retry-after' });
  });
});

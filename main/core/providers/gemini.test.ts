import { describe, expect, it } from 'vitest';
import { bodyText } from './http';
import { gemini } from './gemini';

// 2026-09-01 12:00 UTC = 05:00 PDT; the next midnight Pacific is 2026-09-02 07:00 UTC.
const now = Date.UTC(2026, 8, 1, 12, 0, 0);
const nextPacificMidnight = Date.UTC(2026, 8, 2, 7, 0, 0);
const creds = { key: 'AIzaSyTestKey0123456789abcdefghij', baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai' };
const help = { '@type': 'type.googleapis.com/google.rpc.Help', links: [{ description: 'Learn more about Gemini API quotas', url: 'https://ai.google.dev/gemini-api/docs/rate-limits' }] };
const violation = (quotaId: string, quotaValue: string, quotaMetric = 'generativelanguage.googleapis.com/generate_content_free_tier_requests') => ({
  quotaMetric,
  quotaId,
  quotaDimensions: { location: 'global', model: 'gemini-2.5-flash' },
  quotaValue,
});
const google = (message: string, violations: unknown[], retryDelay: string | null, wrap = true) => {
  const details = [{ '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations }, help];
  if (retryDelay) details.push({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay } as never);
  const error = { error: { code: 429, message, status: 'RESOURCE_EXHAUSTED', details } };
  return JSON.stringify(wrap ? [error] : error);
};

describe('gemini: the request it sends', () => {
  it('bearer auth, the compat path, only the fields Gemini takes', () => {
    const request = gemini.buildRequest('chat', creds, { model: 'gemini-2.5-flash', messages: [], logit_bias: {}, user: 'u', store: true, temperature: 0.2 });
    expect(request.url).toBe('https://generativelanguage.googleapis.com/v1beta/openai/chat/completions');
    expect(request.headers.authorization).toBe(`Bearer ${creds.key}`);
    expect(JSON.parse(bodyText(request))).toEqual({ model: 'gemini-2.5-flash', messages: [], temperature: 0.2 });
    expect(JSON.parse(bodyText(gemini.buildRequest('embeddings', creds, { model: 'e', input: 'x', user: 'u' })))).toEqual({ model: 'e', input: 'x' });
  });
});

describe('gemini: reading answers (providers.md §2.3)', () => {
  it('the compat capture (array-wrapped, PerMinute): the prose delay, more exact than retryDelay', () => {
    const message =
      'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.\n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 10\nPlease retry in 41.710991998s.';
    const signal = gemini.readLimit(429, {}, google(message, [violation('GenerateRequestsPerMinutePerProjectPerModel-FreeTier', '10')], '41s'), now);
    expect(signal).toMatchObject({ scope: 'model', window: { period: 'minute', unit: 'requests' }, resetAt: now + 41_711, source: 'prose', limit: 10, clamped: false });
  });

  it('PerDay blocks until the next midnight America/Los_Angeles, whatever the short retryDelay says', () => {
    const message = 'You exceeded your current quota ... Please retry in 32.1s.';
    const signal = gemini.readLimit(429, {}, google(message, [violation('GenerateRequestsPerDayPerProjectPerModel-FreeTier', '20')], '47s', false), now);
    expect(signal).toMatchObject({ scope: 'model', window: { period: 'day', unit: 'requests' }, resetAt: nextPacificMidnight, source: 'calendar', limit: 20 });
  });

  it('RetryInfo when the prose names no delay', () => {
    const signal = gemini.readLimit(429, {}, google('Quota exceeded.', [violation('GenerateRequestsPerMinutePerProjectPerModel-FreeTier', '10')], '41s'), now);
    expect(signal).toMatchObject({ resetAt: now + 41_000, source: 'body' });
  });

  it('several violations (requests and input tokens): the longest one wins', () => {
    const violations = [
      violation('GenerateContentInputTokensPerModelPerMinute-FreeTier', '250000', 'generativelanguage.googleapis.com/generate_content_free_tier_input_token_count'),
      violation('GenerateRequestsPerDayPerProjectPerModel-FreeTier', '20'),
    ];
    const signal = gemini.readLimit(429, {}, google('Please retry in 33.3s.', violations, '33s'), now);
    expect(signal).toMatchObject({ window: { period: 'day', unit: 'requests' }, resetAt: nextPacificMidnight });
    const tokensOnly = gemini.readLimit(429, {}, google('Please retry in 33.3s.', violations.slice(0, 1), '33s'), now);
    expect(tokensOnly).toMatchObject({ window: { period: 'minute', unit: 'tokens' }, resetAt: now + 33_300 });
  });

  it('a paid-tier metric without the free_tier substring is read the same way', () => {
    const paid = violation('GenerateRequestsPerMinutePerProjectPerModel', '1000', 'generativelanguage.googleapis.com/generate_requests_per_model');
    expect(gemini.readLimit(429, {}, google('Please retry in 5s.', [paid], null), now)).toMatchObject({ window: { period: 'minute', unit: 'requests' }, resetAt: now + 5000 });
  });

  it('limit: 0 (a Pro model on the free tier) is no quota, not a cooldown', () => {
    const message = '* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_input_token_count, limit: 0, model: gemini-3.1-pro\nPlease retry in 33.3s.';
    const withDetails = gemini.readLimit(429, {}, google(message, [violation('GenerateContentInputTokensPerModelPerMinute-FreeTier', '0')], '33s'), now);
    expect(withDetails).toMatchObject({ scope: 'model', noQuota: true, resetAt: null });
    const bare = gemini.readLimit(429, {}, JSON.stringify([{ error: { code: 429, message, status: 'RESOURCE_EXHAUSTED' } }]), now);
    expect(bare).toMatchObject({ noQuota: true, resetAt: null });
  });

  it('older captures without details: the prose, a minute by default', () => {
    const bare = JSON.stringify([{ error: { code: 429, message: 'Resource has been exhausted (e.g. check quota).', status: 'RESOURCE_EXHAUSTED' } }]);
    expect(gemini.readLimit(429, {}, bare, now)).toMatchObject({ scope: 'model', resetAt: now + 60_000, source: 'default' });
  });

  it('sends no rate-limit headers: readRemaining is empty', () => {
    expect(gemini.readRemaining({ 'x-ratelimit-remaining-requests': '3' }, now)).toEqual([]);
  });
});

describe('gemini: errors and catalog', () => {
  it('a bad key is a 400 API_KEY_INVALID at Google, a 401 for the client', () => {
    const body = JSON.stringify([
      {
        error: {
          code: 400,
          message: 'API key not valid. Please pass a valid API key.',
          status: 'INVALID_ARGUMENT',
          details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' }],
        },
      },
    ]);
    expect(gemini.translateError(400, {}, body)).toEqual({ status: 401, type: 'authentication_error', code: 'invalid_api_key', message: 'API key not valid. Please pass a valid API key.', param: null });
  });

  it('the JSON array of a validation 400 becomes an OpenAI error', () => {
    const body = '[{"error":{"code":400,"message":"Invalid JSON payload received. Unknown name \\"foo\\": Cannot find field.","status":"INVALID_ARGUMENT"}}]';
    expect(gemini.translateError(400, {}, body)).toEqual({ status: 400, type: 'invalid_request_error', code: 'INVALID_ARGUMENT', message: 'Invalid JSON payload received. Unknown name "foo": Cannot find field.', param: null });
  });

  it('model ids lose their models/ prefix; the upstream id keeps it', () => {
    const models = gemini.parseCatalog({ object: 'list', data: [{ id: 'models/gemini-2.5-flash', object: 'model', owned_by: 'google', display_name: 'Gemini 2.5 Flash' }, { id: 'models/text-embedding-004' }] });
    expect(models).toEqual([
      { id: 'gemini-2.5-flash', upstreamId: 'models/gemini-2.5-flash', operations: ['chat'] },
      { id: 'text-embedding-004', upstreamId: 'models/text-embedding-004', operations: ['embeddings'] },
    ]);
    expect(gemini.normalizeModelId('models/Gemini-2.5-Flash')).toBe('gemini-2.5-flash');
    expect(gemini.bundledCatalog().find((model) => model.id === 'gemini-2.5-flash')?.upstreamId).toBe('models/gemini-2.5-flash');
  });
});

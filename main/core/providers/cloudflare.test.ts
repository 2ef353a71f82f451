import { describe, expect, it } from 'vitest';
import { bodyText } from './http';
import { cloudflare, CLOUDFLARE_DEFAULT_MAX_TOKENS } from './cloudflare';

const now = Date.UTC(2026, 8, 1, 12, 0, 0);
const creds = { key: 'cf-token', baseUrl: 'https://api.cloudflare.com/client/v4', accountId: 'acc123' };

describe('cloudflare: the request it sends', () => {
  it('{base}/accounts/{id}/ai/v1/chat/completions, bearer; content null → "", text parts flattened, max_tokens explicit', () => {
    const request = cloudflare.buildRequest('chat', creds, {
      model: '@cf/meta/llama-3.3-70b-instruct-fp8-fast',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '{}' } }] },
      ],
      logit_bias: {},
      min_p: 0.1,
      reasoning_effort: 'low',
    });
    expect(request.url).toBe('https://api.cloudflare.com/client/v4/accounts/acc123/ai/v1/chat/completions');
    expect(request.headers.authorization).toBe('Bearer cf-token');
    expect(JSON.parse(bodyText(request))).toEqual({
      model: '@cf/meta/llama-3.3-70b-instruct-fp8-fast',
      messages: [
        { role: 'user', content: 'a\nb' },
        { role: 'assistant', content: '', tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '{}' } }] },
      ],
      max_tokens: CLOUDFLARE_DEFAULT_MAX_TOKENS,
    });
  });

  it('max_completion_tokens becomes max_tokens; the models list is the native search', () => {
    expect(JSON.parse(bodyText(cloudflare.buildRequest('chat', creds, { model: 'm', max_completion_tokens: 99 })))).toEqual({ model: 'm', max_tokens: 99 });
    expect(cloudflare.catalogRequest(creds).url).toBe('https://api.cloudflare.com/client/v4/accounts/acc123/ai/models/search');
    expect(() => cloudflare.buildRequest('chat', { key: 'k', baseUrl: creds.baseUrl }, {})).toThrow(/CLOUDFLARE_ACCOUNT_ID/);
  });
});

describe('cloudflare: reading answers (providers.md §13.3)', () => {
  it('4006: the account\'s daily neurons, until 00:00 UTC', () => {
    const body = '{"errors":[{"code":4006,"message":"you have used up your daily free allocation of 10,000 neurons, please upgrade to Cloudflare\'s Workers Paid plan if you would like to continue usage."}],"success":false}';
    expect(cloudflare.readLimit(429, {}, body, now)).toMatchObject({ scope: 'owner', window: { period: 'day', unit: 'neurons' }, resetAt: Date.UTC(2026, 8, 2), source: 'calendar' });
    expect(cloudflare.readLimit(429, {}, '{"errors":[{"code":3036,"message":"daily"}],"success":false}', now)).toMatchObject({ window: { period: 'day' } });
  });

  it('3021 rate limit with retry-after: 1', () => {
    expect(cloudflare.readLimit(429, { 'retry-after': '1' }, '{"errors":[{"code":3021,"message":"rate limited"}],"success":false}', now)).toMatchObject({ scope: 'owner', window: { period: 'minute', unit: 'requests' }, resetAt: now + 1000, source: 'retry-after' });
  });

  it('translates the errors envelope', () => {
    expect(cloudflare.translateError(400, {}, '{"errors":[{"code":5006,"message":"Bad input"}],"success":false,"result":null}')).toEqual({ status: 400, type: 'invalid_request_error', code: '5006', message: 'Bad input', param: null });
  });

  it('parses the native model search: chat and embeddings only', () => {
    const models = cloudflare.parseCatalog({
      success: true,
      result: [
        { name: '@cf/meta/llama-3.3-70b-instruct-fp8-fast', task: { name: 'Text Generation' } },
        { name: '@cf/baai/bge-m3', task: { name: 'Text Embeddings' } },
        { name: '@cf/openai/whisper', task: { name: 'Automatic Speech Recognition' } },
        { name: '@cf/meta/llama-3.1-8b-instruct' },
        { task: {} },
      ],
    });
    expect(models).toEqual([
      { id: '@cf/meta/llama-3.3-70b-instruct-fp8-fast', upstreamId: '@cf/meta/llama-3.3-70b-instruct-fp8-fast', operations: ['chat'] },
      { id: '@cf/baai/bge-m3', upstreamId: '@cf/baai/bge-m3', operations: ['embeddings'] },
      { id: '@cf/meta/llama-3.1-8b-instruct', upstreamId: '@cf/meta/llama-3.1-8b-instruct', operations: ['chat'] },
    ]);
  });
});

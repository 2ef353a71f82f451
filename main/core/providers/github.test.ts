import { describe, expect, it } from 'vitest';
import { github } from './github';

const now = Date.UTC(2026, 6, 1, 12, 0, 0);
const creds = { key: 'gho_0123456789abcdefghij', baseUrl: 'https://models.github.ai' };
const dayBody = '{"error":{"code":"RateLimitReached","message":"Rate limit of 50 per 86400s exceeded for UserByModelByDay. Please wait 5631 seconds before retrying.","details":"Rate limit of 50 per 86400s exceeded for UserByModelByDay. Please wait 5631 seconds before retrying."}}';

describe('github: the request it sends (its own paths)', () => {
  it('POST {base}/inference/chat/completions with the GitHub headers; GET {base}/catalog/models; identity GET {api}/user', () => {
    const request = github.buildRequest('chat', creds, { model: 'openai/gpt-4o-mini', messages: [] });
    expect(request.url).toBe('https://models.github.ai/inference/chat/completions');
    expect(request.headers).toMatchObject({ authorization: `Bearer ${creds.key}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' });
    expect(github.buildRequest('embeddings', creds, {}).url).toBe('https://models.github.ai/inference/embeddings');
    expect(github.catalogRequest(creds).url).toBe('https://models.github.ai/catalog/models');
    expect(github.identityRequest!(creds).url).toBe('https://api.github.com/user');
    expect(github.identityRequest!({ ...creds, apiBaseUrl: 'http://127.0.0.1:7' }).url).toBe('http://127.0.0.1:7/user');
    expect(github.readIdentity!({ login: 'octocat' })).toEqual({ ownerId: 'octocat', label: 'octocat' });
  });
});

describe('github: reading answers (github-models-api.md)', () => {
  it.each([
    ['UserByModelByDay', 'model', { period: 'day', unit: 'requests' }],
    ['UserByModelByMinute', 'model', { period: 'minute', unit: 'requests' }],
    ['UserByModelByMinuteTokens', 'model', { period: 'minute', unit: 'tokens' }],
    ['UserByMinute', 'owner', { period: 'minute', unit: 'requests' }],
    ['UserConcurrentRequests', 'concurrency', { period: null, unit: null }],
  ])('x-ratelimit-type %s → %s scope', (type, scope, window) => {
    const signal = github.readLimit(429, { 'x-ratelimit-type': type, 'retry-after': '30' }, '{}', now);
    expect(signal).toMatchObject({ scope, window, githubLimitType: type, resetAt: now + 30_000, source: 'retry-after' });
  });

  it('the captured daily 429: type and wait from the message', () => {
    expect(github.readLimit(429, {}, dayBody, now)).toMatchObject({ scope: 'model', window: { period: 'day' }, resetAt: now + 5_631_000, source: 'prose', githubLimitType: 'UserByModelByDay' });
  });

  it('x-ratelimit-timeremaining first; a per-minute type cannot block for two days', () => {
    expect(github.readLimit(429, { 'x-ratelimit-timeremaining': '12', 'retry-after': '30' }, dayBody, now)).toMatchObject({ resetAt: now + 12_000, source: 'reset-header' });
    expect(github.readLimit(429, { 'x-ratelimit-type': 'UserByModelByMinute', 'retry-after': '172800' }, '{}', now)).toMatchObject({ resetAt: now + 60_000, clamped: true });
  });

  it('413 tokens_limit_reached is the request\'s', () => {
    const body = '{"error":{"code":"tokens_limit_reached","message":"Request body too large for gpt-5 model. Max size: 4000 tokens.","details":"..."}}';
    expect(github.readLimit(413, {}, body, now)).toMatchObject({ scope: 'request', resetAt: null });
  });

  it('410 with "retirement" retires the provider; another 410 or status does not', () => {
    const brownout = '{"error":{"code":"github_models_retirement_brownout","message":"GitHub Models is temporarily unavailable as part of a scheduled retirement brownout."}}';
    expect(github.isRetirement!(410, {}, brownout)).toBe(true);
    expect(github.isRetirement!(410, {}, '{"error":{"message":"Gone"}}')).toBe(false);
    expect(github.isRetirement!(503, {}, brownout)).toBe(false);
    expect(github.retired?.since).toBe('2026-07-30');
  });
});

describe('github: catalog', () => {
  it('the bare-array catalog and the bundled snapshot, with operations', () => {
    const models = github.parseCatalog([
      { id: 'openai/gpt-4.1', name: 'GPT-4.1', publisher: 'OpenAI', capabilities: ['streaming', 'tool-calling'], limits: { max_input_tokens: 1048576 }, supported_input_modalities: ['text', 'image'] },
      { id: 'openai/text-embedding-3-small', supported_output_modalities: ['embeddings'] },
    ]);
    expect(models).toEqual([
      { id: 'openai/gpt-4.1', upstreamId: 'openai/gpt-4.1', operations: ['chat'], capabilities: { tools: true, vision: true }, contextWindow: 1048576 },
      { id: 'openai/text-embedding-3-small', upstreamId: 'openai/text-embedding-3-small', operations: ['embeddings'], capabilities: { tools: false, vision: false } },
    ]);
    expect(github.bundledCatalog().length).toBeGreaterThan(5);
    expect(github.normalizeModelId('/OpenAI/GPT-4.1')).toBe('openai/gpt-4.1');
  });
});

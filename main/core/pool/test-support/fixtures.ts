/**
 * Upstream replies shaped exactly like the captures in reference/github-models-api.md.
 */
export interface HttpSpec {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

const rateBody = (limit: number, windowSeconds: number, type: string, wait: number) => {
  const message = `Rate limit of ${limit} per ${windowSeconds}s exceeded for ${type}. Please wait ${wait} seconds before retrying.`;
  return JSON.stringify({ error: { code: 'RateLimitReached', message, details: message } });
};

const rateHeaders = (type: string, wait: number) => ({
  'retry-after': String(wait),
  'x-ratelimit-type': type,
  'x-ratelimit-timeremaining': String(wait),
  'x-ms-error-code': 'RateLimitReached',
});

/** Every 429 variant seen, with all headers. */
export const tooMany = {
  day: (wait = 5631, limit = 50): HttpSpec => ({ status: 429, headers: rateHeaders('UserByModelByDay', wait), body: rateBody(limit, 86400, 'UserByModelByDay', wait) }),
  minute: (wait = 42, limit = 10): HttpSpec => ({ status: 429, headers: rateHeaders('UserByModelByMinute', wait), body: rateBody(limit, 60, 'UserByModelByMinute', wait) }),
  userMinute: (wait = 30, limit = 15): HttpSpec => ({ status: 429, headers: rateHeaders('UserByMinute', wait), body: rateBody(limit, 60, 'UserByMinute', wait) }),
  concurrent: (limit = 2): HttpSpec => ({ status: 429, headers: rateHeaders('UserConcurrentRequests', 0), body: rateBody(limit, 0, 'UserConcurrentRequests', 0) }),
  tokens: (wait = 25, limit = 200000): HttpSpec => ({ status: 429, headers: rateHeaders('UserByModelByMinuteTokens', wait), body: rateBody(limit, 60, 'UserByModelByMinuteTokens', wait) }),
  /** Headers missing: type and wait only in the message. */
  messageOnly: (type = 'UserByModelByDay', wait = 5631): HttpSpec => ({ status: 429, body: rateBody(50, 86400, type, wait) }),
  /** Only Retry-After; the body says nothing useful. */
  retryAfterOnly: (wait = 90): HttpSpec => ({ status: 429, headers: { 'retry-after': String(wait) }, body: 'Too Many Requests' }),
  /** Nothing readable at all: the default cooldown applies. */
  bare: (): HttpSpec => ({ status: 429, body: '' }),
};

export const badCredentials = (): HttpSpec => ({
  status: 401,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ error: { code: 'unauthorized', message: 'Bad credentials', details: 'Bad credentials' } }),
});

export const forbidden = (): HttpSpec => ({ status: 403, body: '403 Forbidden' });

export const unknownModel = (id = '/Phi-3.5-MoE-instruct'): HttpSpec => ({
  status: 404,
  headers: { 'content-type': 'text/plain; charset=utf-8' },
  body: JSON.stringify({ error: { code: 'unknown_model', message: `Unknown model: ${id}`, details: `Unknown model: ${id}` } }),
});

export const tooLarge = (): HttpSpec => ({
  status: 413,
  body: JSON.stringify({ error: { code: 'tokens_limit_reached', message: 'Request body too large for gpt-5 model. Max size: 4000 tokens.', details: '...' } }),
});

export const serverError = (status = 500): HttpSpec => ({
  status,
  headers: { 'content-type': 'text/html' },
  body: `<html><head><title>${status} Internal Server Error</title></head><body>oops</body></html>`,
});

/** GitHub Models after 2026-07-30: the captured retirement body, status 410. */
export const retiredGone = (): HttpSpec => ({
  status: 410,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ error: { code: 'github_models_retirement_brownout', message: 'GitHub Models is temporarily unavailable as part of a scheduled retirement brownout.' } }),
});

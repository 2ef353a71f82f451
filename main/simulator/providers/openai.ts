import { bearer, perModelMeters, openaiError, openaiModels, openaiRoute, type Dialect } from './dialect';
import { ceilSeconds } from './durations';
import { rateLimitHeaders, rateLimitProse } from './openai-family';

/**
 * OpenAI (providers.md §7): limits per (project, model) — RPM, RPD, TPM, TPD — over fixed windows;
 * x-ratelimit-* headers on success (requests = RPM, tokens = TPM, Go durations); 429 prose naming
 * the window; `retry-after` and `retry-after-ms` on 429; `insufficient_quota` when billing is gone
 * (a key with `balance: 0`), which no wait cures.
 */

export const openai: Dialect = {
  id: 'openai',
  prefix: '/openai/v1',
  route: openaiRoute,
  token: bearer,
  defaultLimits: { rpm: 500, rpd: 10_000, tpm: 200_000, tpd: null },
  models: [{ id: 'gpt-4o-mini' }, { id: 'gpt-4.1' }, { id: 'gpt-4.1-mini' }, { id: 'text-embedding-3-small', embeds: true }],
  meters: (limits) => perModelMeters(limits, 'window'),
  authFailed: () => openaiError(401, 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.', 'invalid_request_error', 'invalid_api_key'),
  badRequest: (message) => openaiError(400, message, 'invalid_request_error', null),
  unknownModel: (id) => openaiError(404, `The model \`${id}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found'),
  creditsGone: (key) =>
    key.balance === 0
      ? openaiError(429, 'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.', 'insufficient_quota', 'insufficient_quota')
      : null,
  limited(e, a, _now, views) {
    const headers = { ...rateLimitHeaders(views, 'rpm', 'tpm'), 'retry-after': String(ceilSeconds(e.waitMs)), 'retry-after-ms': String(Math.ceil(e.waitMs)) };
    return openaiError(429, rateLimitProse(e, a.model.id, a.key.owner, 'openai'), e.spec.unit === 'tokens' ? 'tokens' : 'requests', 'rate_limit_exceeded', {}, headers);
  },
  successHeaders: (views) => rateLimitHeaders(views, 'rpm', 'tpm'),
  modelsList: (models) => openaiModels(models, 'system'),
  capacity: () => openaiError(503, 'The server is overloaded or not ready yet.', 'server_error', 'server_is_overloaded'),
  serverError: (status) => openaiError(status, 'The server had an error while processing your request. Sorry about that!', 'server_error', null),
  stream: { usage: 'asked' },
};

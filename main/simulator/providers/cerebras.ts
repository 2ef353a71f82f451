import { bearer, perModelMeters, openaiModels, openaiRoute, type Dialect } from './dialect';
import { ceilSeconds, floatSeconds } from './durations';
import type { MeterView, Reply } from './types';
import { jsonReply } from './types';

/**
 * Cerebras (providers.md §4): quota per (organisation, model), token buckets refilling
 * continuously; a request reserves its input plus `max_completion_tokens` (8192 when not sent)
 * against the token limits, the unused part given back once answered; day and minute headers in
 * float seconds; 429 bodies with no `error` wrapper (`request_quota_exceeded`,
 * `token_quota_exceeded`, and `queue_exceeded` with `param: "queue"` when it is busy).
 */

export const CEREBRAS_DEFAULT_MAX_COMPLETION_TOKENS = 8192;

const flat = (status: number, message: string, type: string, param: string | null, code: string | null, headers: Record<string, string> = {}): Reply =>
  jsonReply(status, { message, type, param, code }, headers);

const MESSAGES: Record<string, [string, string, string]> = {
  rpm: ['Requests per minute limit exceeded - too many requests sent.', 'too_many_requests_error', 'request_quota_exceeded'],
  rpd: ['Requests per day limit exceeded - too many requests sent.', 'too_many_requests_error', 'request_quota_exceeded'],
  tpm: ['Tokens per minute limit exceeded - too many tokens processed.', 'too_many_tokens_error', 'token_quota_exceeded'],
  tpd: ['Tokens per day limit exceeded - too many tokens processed.', 'too_many_tokens_error', 'token_quota_exceeded'],
};

function headers(views: readonly MeterView[]): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (name: string, suffix: string) => {
    const v = views.find((view) => view.spec.name === name);
    if (!v) return;
    out[`x-ratelimit-limit-${suffix}`] = String(v.spec.limit);
    out[`x-ratelimit-remaining-${suffix}`] = String(v.remaining);
    out[`x-ratelimit-reset-${suffix}`] = floatSeconds(v.resetMs);
  };
  put('rpd', 'requests-day');
  put('tpm', 'tokens-minute');
  return out;
}

export const cerebras: Dialect = {
  id: 'cerebras',
  prefix: '/cerebras/v1',
  route: openaiRoute,
  token: bearer,
  defaultLimits: { rpm: 30, rpd: 14_400, tpm: 64_000, tpd: 1_000_000 },
  models: [{ id: 'gpt-oss-120b' }, { id: 'llama-3.3-70b' }, { id: 'zai-glm-4.7' }, { id: 'gemma-4-31b' }],
  meters: (limits) => perModelMeters(limits, 'bucket'),
  countedTokens: (prompt, _completion, maxTokens) => prompt + (maxTokens ?? CEREBRAS_DEFAULT_MAX_COMPLETION_TOKENS),
  authFailed: () => flat(401, 'Wrong API Key', 'invalid_request_error', 'api_key', 'wrong_api_key'),
  badRequest: (message) => flat(400, message, 'invalid_request_error', null, 'bad_request'),
  unknownModel: (id) => flat(404, `Model ${id} does not exist or you do not have access to it.`, 'not_found_error', 'model', 'model_not_found'),
  limited(e, _a, _now, views) {
    const [message, type, code] = MESSAGES[e.spec.name] ?? MESSAGES.rpm!;
    return flat(429, message, type, 'quota', code, { ...headers(views), 'retry-after': String(ceilSeconds(e.waitMs)) });
  },
  successHeaders: (views) => headers(views),
  modelsList: (models) => openaiModels(models, 'Cerebras'),
  capacity: () => flat(429, "We're experiencing high traffic right now! Please try again soon.", 'too_many_requests_error', 'queue', 'queue_exceeded'),
  serverError: (status) => flat(status, status === 503 ? 'Service temporarily unavailable.' : 'Internal server error.', 'server_error', null, null),
  stream: { usage: 'asked' },
};

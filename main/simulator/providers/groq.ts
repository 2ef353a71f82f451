import { bearer, perModelMeters, openaiError, openaiModels, openaiRoute, type Dialect } from './dialect';
import { ceilSeconds } from './durations';
import { rateLimitHeaders, rateLimitProse, windowWords } from './openai-family';
import type { ProviderLimits, SimModel } from './types';

/**
 * Groq (providers.md §1): quota per (organisation, model) — RPM, RPD, TPM, TPD — each refilling
 * continuously (RPD ≈ 86400/limit seconds per request); the six x-ratelimit-* headers on every
 * answer (requests = RPD, tokens = TPM, Go durations); `retry-after` only on 429; a 413 when one
 * request is larger than the TPM limit; 400 for the fields Groq does not support.
 */

const FREE: Record<string, ProviderLimits> = {
  'llama-3.3-70b-versatile': { rpm: 30, rpd: 1000, tpm: 12_000, tpd: 100_000 },
  'llama-3.1-8b-instant': { rpm: 30, rpd: 14_400, tpm: 6000, tpd: 500_000 },
  'openai/gpt-oss-120b': { rpm: 30, rpd: 1000, tpm: 8000, tpd: 200_000 },
  'openai/gpt-oss-20b': { rpm: 30, rpd: 1000, tpm: 8000, tpd: 200_000 },
  'qwen/qwen3.6-27b': { rpm: 30, rpd: 1000, tpm: 8000, tpd: 200_000 },
  'groq/compound': { rpm: 30, rpd: 250, tpm: 70_000, tpd: null },
};

const MODELS: SimModel[] = Object.entries(FREE).map(([id, limits]) => ({ id, limits }));

const UNSUPPORTED = ['logprobs', 'logit_bias', 'top_logprobs'];

export const groq: Dialect = {
  id: 'groq',
  prefix: '/groq/openai/v1',
  route: openaiRoute,
  token: bearer,
  defaultLimits: { rpm: 30, rpd: 1000, tpm: 12_000, tpd: 100_000 },
  models: MODELS,
  meters: (limits) => perModelMeters(limits, 'bucket'),
  authFailed: () => openaiError(401, 'Invalid API Key', 'invalid_request_error', 'invalid_api_key'),
  badRequest: (message) => openaiError(400, message, 'invalid_request_error', null),
  unknownModel: (id) => openaiError(404, `The model \`${id}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found'),
  refuse(body) {
    const field = UNSUPPORTED.find((f) => body[f] !== undefined && body[f] !== null && body[f] !== false);
    if (field) return openaiError(400, `property '${field}' is unsupported`, 'invalid_request_error', null);
    if (body.n !== undefined && body.n !== 1) return openaiError(400, "'n' : number must be at most 1", 'invalid_request_error', null);
    const named = Array.isArray(body.messages) && body.messages.some((m) => typeof (m as { name?: unknown } | null)?.name === 'string');
    if (named) return openaiError(400, "'messages.name' : property 'name' is unsupported", 'invalid_request_error', null);
    return null;
  },
  tooLarge(a, meters) {
    const tpm = meters.find((m) => m.name === 'tpm');
    if (!tpm || a.countedTokens <= tpm.limit) return null;
    const message = `Request too large for model \`${a.model.id}\` in organization \`${a.key.owner}\` service tier \`on_demand\` on ${windowWords(tpm, 'groq')}: Limit ${tpm.limit}, Requested ${a.countedTokens}, please reduce your message size and try again. Need more tokens? Upgrade to Dev Tier today at https://console.groq.com/settings/billing`;
    return openaiError(413, message, 'tokens', 'rate_limit_exceeded');
  },
  limited(e, a, _now, views) {
    const headers = { ...rateLimitHeaders(views, 'rpd', 'tpm'), 'retry-after': String(ceilSeconds(e.waitMs)) };
    return openaiError(429, rateLimitProse(e, a.model.id, a.key.owner, 'groq'), e.spec.unit === 'tokens' ? 'tokens' : 'requests', 'rate_limit_exceeded', {}, headers);
  },
  successHeaders: (views) => rateLimitHeaders(views, 'rpd', 'tpm'),
  modelsList: (models) => openaiModels(models, 'Meta', () => ({ active: true, context_window: 131_072, public_apps: null })),
  capacity: () => openaiError(498, 'Flex tier capacity exceeded. This model is currently at capacity, please try again later.', 'invalid_request_error', 'capacity_exceeded'),
  serverError: (status) => openaiError(status, status === 503 ? 'Service Unavailable' : 'Internal Server Error', 'internal_server_error', null),
  stream: { usage: 'asked' },
};

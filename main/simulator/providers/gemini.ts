import { nextPacificMidnight } from './calendar';
import { bearer, limitOf, openaiRoute, type Dialect } from './dialect';
import type { Exceeded, MeterSpec, ProviderLimits, Reply } from './types';
import { jsonReply } from './types';

/**
 * Gemini's OpenAI-compatible endpoint (providers.md §2): quota per (project, model) — RPM and
 * input TPM over a minute, RPD until midnight America/Los_Angeles; no rate-limit headers; every
 * error a JSON **array** around Google's error (429 RESOURCE_EXHAUSTED with QuotaFailure, Help and
 * a RetryInfo that stays short even for a PerDay quota); a bad key is a 400 API_KEY_INVALID;
 * `limit: 0` for Pro models on the free tier; models listed as `models/…`.
 */

const DOCS = 'https://ai.google.dev/gemini-api/docs/rate-limits';

const QUOTAS: Record<string, { id: string; metric: string }> = {
  rpm: { id: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier', metric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests' },
  rpd: { id: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier', metric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests' },
  tpm: { id: 'GenerateContentInputTokensPerModelPerMinute-FreeTier', metric: 'generativelanguage.googleapis.com/generate_content_free_tier_input_token_count' },
};

const STATUS: Record<number, string> = { 400: 'INVALID_ARGUMENT', 404: 'NOT_FOUND', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE' };

export function googleError(code: number, message: string, details?: unknown[]): Reply {
  return jsonReply(code, [{ error: { code, message, status: STATUS[code] ?? 'UNKNOWN', ...(details ? { details } : {}) } }]);
}

function specs(limits: ProviderLimits): MeterSpec[] {
  const out: MeterSpec[] = [];
  const rpd = limitOf(limits, 'rpd');
  const rpm = limitOf(limits, 'rpm');
  const tpm = limitOf(limits, 'tpm');
  if (rpd !== null) out.push({ name: 'rpd', unit: 'requests', limit: rpd, clock: { kind: 'calendar', next: nextPacificMidnight }, scope: 'model' });
  if (rpm !== null) out.push({ name: 'rpm', unit: 'requests', limit: rpm, clock: { kind: 'window', seconds: 60 }, scope: 'model' });
  if (tpm !== null) out.push({ name: 'tpm', unit: 'tokens', limit: tpm, clock: { kind: 'window', seconds: 60 }, scope: 'model' });
  return out;
}

/**
 * The delay Google states: the window's own for per-minute quotas; for a PerDay quota (or a
 * `limit: 0`) a short one whatever the real reset, as observed.
 */
function statedDelayMs(e: Exceeded, now: number): number {
  if (e.spec.name === 'rpd' || e.spec.limit === 0) return 20_000 + (now % 20_000) + 0.710991998 * 1000;
  return Math.max(1000, e.waitMs);
}

export function quotaExceeded(e: Exceeded, model: string, now: number): Reply {
  const quota = QUOTAS[e.spec.name] ?? QUOTAS.rpm!;
  const delay = statedDelayMs(e, now) / 1000;
  const message = `You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: ${DOCS}.\n* Quota exceeded for metric: ${quota.metric}, limit: ${e.spec.limit}, model: ${model}\nPlease retry in ${delay.toFixed(9).replace(/0+$/, '')}s.`;
  return googleError(429, message, [
    {
      '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
      violations: [{ quotaMetric: quota.metric, quotaId: quota.id, quotaDimensions: { location: 'global', model }, quotaValue: String(e.spec.limit) }],
    },
    { '@type': 'type.googleapis.com/google.rpc.Help', links: [{ description: 'Learn more about Gemini API quotas', url: DOCS }] },
    { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${Math.floor(delay)}s` },
  ]);
}

export const gemini: Dialect = {
  id: 'gemini',
  prefix: '/gemini/v1beta/openai',
  route: openaiRoute,
  token: bearer,
  defaultLimits: { rpm: 10, rpd: 20, tpm: 250_000 },
  models: [
    { id: 'gemini-2.5-flash', limits: { rpm: 10, rpd: 20, tpm: 250_000 } },
    { id: 'gemini-3.5-flash-lite', limits: { rpm: 15, rpd: 1000, tpm: 250_000 } },
    { id: 'gemini-2.5-pro', limits: { rpm: 0, rpd: 0, tpm: 0 } },
    { id: 'gemini-embedding-001', embeds: true, limits: { rpm: 100, rpd: 1000, tpm: 30_000 } },
  ],
  meters: (limits) => specs(limits),
  countedTokens: (prompt) => prompt,
  normaliseModel: (id) => id.replace(/^models\//i, ''),
  authFailed: () =>
    googleError(400, 'API key not valid. Please pass a valid API key.', [
      { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com' } },
    ]),
  badRequest: (message) => googleError(400, message),
  unknownModel: (id) => googleError(404, `models/${id.replace(/^models\//i, '')} is not found for API version v1beta, or is not supported for generateContent.`),
  limited: (e, a, now) => quotaExceeded(e, a.model.id, now),
  modelsList: (models) =>
    jsonReply(200, { object: 'list', data: models.map((m) => ({ id: `models/${m.id}`, object: 'model', owned_by: 'google', display_name: m.id })) }),
  capacity: () => googleError(503, 'The model is overloaded. Please try again later.'),
  serverError: (status) => googleError(status, status === 503 ? 'The model is overloaded. Please try again later.' : 'An internal error has occurred.'),
  stream: { usage: 'asked' },
};

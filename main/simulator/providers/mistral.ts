import { nextUtcMonth } from './calendar';
import { bearer, limitOf, openaiModels, openaiRoute, type Dialect } from './dialect';
import type { MeterSpec, MeterView, ProviderLimits, Reply } from './types';
import { jsonReply } from './types';

/**
 * Mistral La Plateforme (providers.md §5): per organisation, every model together — 1 request a
 * second, tokens a minute, tokens a month (ending the 1st, UTC); the 429 is
 * `{"object":"error","message":"Rate limit exceeded","type":"rate_limited","param":null,"code":"1300"}`;
 * x-ratelimitbysize-* headers (minute and month); a strict schema: unknown fields such as
 * `stream_options` or `seed` get a 422 `extra_forbidden` whose `message` is an object.
 */

const mistralError = (status: number, message: unknown, type: string, code: string | null, headers: Record<string, string> = {}): Reply =>
  jsonReply(status, { object: 'error', message, type, param: null, code }, headers);

const CHAT_FIELDS = new Set([
  'model', 'messages', 'temperature', 'top_p', 'max_tokens', 'stream', 'stop', 'random_seed', 'response_format', 'tools',
  'tool_choice', 'presence_penalty', 'frequency_penalty', 'n', 'prediction', 'parallel_tool_calls', 'safe_prompt', 'prompt_mode',
]);
const EMBEDDING_FIELDS = new Set(['model', 'input', 'output_dimension', 'output_dtype', 'encoding_format']);

function specs(limits: ProviderLimits): MeterSpec[] {
  const out: MeterSpec[] = [];
  const rps = limitOf(limits, 'rps');
  const tpm = limitOf(limits, 'tpm');
  const month = limitOf(limits, 'tokensPerMonth');
  if (rps !== null) out.push({ name: 'rps', unit: 'requests', limit: rps, clock: { kind: 'window', seconds: 1 }, scope: 'owner' });
  if (tpm !== null) out.push({ name: 'tpm', unit: 'tokens', limit: tpm, clock: { kind: 'window', seconds: 60 }, scope: 'owner' });
  if (month !== null) out.push({ name: 'month', unit: 'tokens', limit: month, clock: { kind: 'calendar', next: nextUtcMonth }, scope: 'owner' });
  return out;
}

function headers(views: readonly MeterView[], cost: number): Record<string, string> {
  const out: Record<string, string> = {};
  const minute = views.find((v) => v.spec.name === 'tpm');
  const month = views.find((v) => v.spec.name === 'month');
  if (minute) {
    out['x-ratelimitbysize-limit-minute'] = String(minute.spec.limit);
    out['x-ratelimitbysize-remaining-minute'] = String(minute.remaining);
    out['ratelimitbysize-limit'] = String(minute.spec.limit);
    out['ratelimitbysize-remaining'] = String(minute.remaining);
    out['ratelimitbysize-reset'] = String(Math.ceil(minute.resetMs / 1000));
    out['ratelimitbysize-query-cost'] = String(cost);
  }
  if (month) {
    out['x-ratelimitbysize-limit-month'] = String(month.spec.limit);
    out['x-ratelimitbysize-remaining-month'] = String(month.remaining);
  }
  return out;
}

export const mistral: Dialect = {
  id: 'mistral',
  prefix: '/mistral/v1',
  route: openaiRoute,
  token: bearer,
  defaultLimits: { rps: 1, tpm: 500_000, tokensPerMonth: 1_000_000_000 },
  models: [{ id: 'mistral-small-latest' }, { id: 'mistral-large-latest' }, { id: 'codestral-latest' }, { id: 'mistral-embed', embeds: true }],
  meters: (limits) => specs(limits),
  authFailed: () => mistralError(401, 'Unauthorized', 'invalid_request_error', null),
  badRequest: (message) => mistralError(400, message, 'invalid_request_error', null),
  unknownModel: (id) => mistralError(400, `Invalid model: ${id}`, 'invalid_model', '1500'),
  refuse(body, operation) {
    const allowed = operation === 'chat' ? CHAT_FIELDS : EMBEDDING_FIELDS;
    const detail = Object.entries(body)
      .filter(([field]) => !allowed.has(field))
      .map(([field, value]) => {
        const inner = value && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value)[0] : undefined;
        return { type: 'extra_forbidden', loc: inner ? ['body', field, inner[0]] : ['body', field], msg: 'Extra inputs are not permitted', input: inner ? inner[1] : value };
      });
    return detail.length ? mistralError(422, { detail }, 'invalid_request_error', null) : null;
  },
  limited: (_e, a, _now, views) => mistralError(429, 'Rate limit exceeded', 'rate_limited', '1300', headers(views, a.countedTokens)),
  successHeaders: (views, a) => headers(views, a.countedTokens),
  modelsList: (models) => openaiModels(models, 'mistralai'),
  capacity: () => mistralError(429, 'Service tier capacity exceeded for this model.', 'invalid_request_error', null),
  serverError: (status) => mistralError(status, status === 503 ? 'Service unavailable' : 'Internal server error', 'internal_server_error', null),
  stream: { usage: 'always' },
};

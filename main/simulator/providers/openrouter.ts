import { nextUtcMidnight } from './calendar';
import { bearer, openaiRoute, type Dialect, type Route } from './dialect';
import { ceilSeconds } from './durations';
import type { MeterSpec, ProviderKey, ProviderLimits, Reply, SimModel } from './types';
import { jsonReply } from './types';

/**
 * OpenRouter (providers.md §3): the `:free` models share one pool per account — 20 a minute and
 * 50 a day (1000 once 10 credits were bought), the day ending 00:00 UTC; 429 messages name
 * `free-models-per-min` / `free-models-per-day` with X-RateLimit-* (reset in epoch ms) inside
 * `error.metadata.headers`; upstream 429s ("Provider returned error") that throttle a model for
 * every key at once; 402 when the balance is negative; streams open with
 * `: OPENROUTER PROCESSING` comments, always end with usage, and may carry an error chunk with
 * finish_reason "error" on HTTP 200; GET /key reflects the counters.
 */

const err = (status: number, message: string, metadata?: Record<string, unknown>, headers: Record<string, string> = {}): Reply =>
  jsonReply(status, { error: { message, code: status, ...(metadata ? { metadata } : {}) } }, headers);

const userId = (key: ProviderKey) => `user_${key.owner}`;

/** The per-day free pool of an account: 1000 with credits bought, else the `rpd` limit (50). */
function freePerDay(limits: ProviderLimits, key: ProviderKey): number {
  return key.creditsPurchased ? (limits.freePerDayWithCredits ?? 1000) : (limits.rpd ?? 50);
}

function specs(limits: ProviderLimits, model: SimModel, key: ProviderKey): MeterSpec[] {
  if (!model.free) return [];
  const out: MeterSpec[] = [];
  if (typeof limits.rpm === 'number') out.push({ name: 'free-models-per-min', unit: 'requests', limit: limits.rpm, clock: { kind: 'window', seconds: 60 }, scope: 'owner' });
  out.push({ name: 'free-models-per-day', unit: 'requests', limit: freePerDay(limits, key), clock: { kind: 'calendar', next: nextUtcMidnight }, scope: 'owner' });
  return out;
}

function route(method: string, path: string): Route | null {
  const p = path.replace(/\/+$/, '');
  if ((method === 'GET' || method === 'HEAD') && (p === '/key' || p === '/auth/key' || p === '/credits')) return { op: 'extra', path: p };
  return openaiRoute(method, path);
}

const MODELS: SimModel[] = [
  { id: 'meta-llama/llama-3.3-70b-instruct:free', free: true },
  { id: 'google/gemma-4-31b-it:free', free: true },
  { id: 'openai/gpt-oss-20b:free', free: true },
  { id: 'openai/gpt-4o-mini' },
  { id: 'openai/text-embedding-3-small', embeds: true },
];

export const openrouter: Dialect = {
  id: 'openrouter',
  prefix: '/openrouter/api/v1',
  route,
  token: bearer,
  publicModels: true,
  defaultLimits: { rpm: 20, rpd: 50, freePerDayWithCredits: 1000 },
  models: MODELS,
  meters: specs,
  capacitySeconds: 15,
  authFailed: () => err(401, 'User not found.'),
  badRequest: (message) => err(400, message),
  unknownModel: (id) => err(400, `${id} is not a valid model ID`),
  creditsGone(key, model) {
    if (key.balance !== undefined && key.balance < 0) {
      return err(402, 'Your account or API key has insufficient credits. Add more using https://openrouter.ai/credits', { reason: 'insufficient_credits', limit_source: 'openrouter_credits' });
    }
    if (!model.free && key.balance === 0) {
      return err(402, 'This request requires more credits, or fewer max_tokens. You requested up to 16384 tokens, but can only afford 0. To increase, visit https://openrouter.ai/settings/credits and upgrade to a paid account', { reason: 'insufficient_credits', limit_source: 'openrouter_credits' });
    }
    return null;
  },
  limited(e, a) {
    const perDay = e.spec.name === 'free-models-per-day';
    const name = perDay && a.key.creditsPurchased ? 'free-models-per-day-high-balance' : e.spec.name;
    const hint = perDay && !a.key.creditsPurchased ? ' Add 10 credits to unlock 1000 free model requests per day' : '';
    const rateHeaders = { 'X-RateLimit-Limit': String(e.spec.limit), 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(Math.round(e.resetAt)) };
    const body = { error: { message: `Rate limit exceeded: ${name}.${hint}`, code: 429, metadata: { headers: rateHeaders, provider_name: null } }, user_id: userId(a.key) };
    return jsonReply(429, body);
  },
  modelsList: (models) =>
    jsonReply(200, {
      data: models.map((m) => {
        const price = m.free ? '0' : '0.00000015';
        return {
          id: m.id,
          canonical_slug: m.id.replace(/:free$/, ''),
          name: m.id,
          created: 1_735_689_600,
          description: `${m.id} (simulated)`,
          context_length: 131_072,
          architecture: { modality: m.embeds ? 'text->embeddings' : 'text->text', input_modalities: ['text'], output_modalities: [m.embeds ? 'embeddings' : 'text'], tokenizer: 'Other', instruct_type: null },
          pricing: { prompt: price, completion: m.embeds ? '0' : price, request: '0', image: '0' },
          top_provider: { context_length: 131_072, max_completion_tokens: 16_384, is_moderated: false },
          per_request_limits: null,
          supported_parameters: m.embeds ? [] : ['max_tokens', 'temperature', 'tools', 'tool_choice', 'response_format', 'structured_outputs', 'stop', 'seed'],
        };
      }),
    }),
  capacity(model, now, until) {
    const seconds = until === null ? 15 : Math.max(0.001, (until - now) / 1000);
    const metadata = {
      raw: `${model} is temporarily rate-limited upstream. Please retry shortly, or add your own key to accumulate your rate limits: https://openrouter.ai/settings/integrations`,
      provider_name: 'Google AI Studio',
      is_byok: false,
      provider_error_code: '429',
      retry_after_seconds: ceilSeconds(seconds * 1000),
      retry_after_seconds_raw: Math.round(seconds * 1000) / 1000,
      headers: { 'Retry-After': String(ceilSeconds(seconds * 1000)) },
    };
    return jsonReply(429, { error: { message: 'Provider returned error', code: 429, metadata }, user_id: 'user_simulated' });
  },
  serverError: (status) => err(status === 503 ? 503 : 502, status === 503 ? 'There is no available model provider that meets your routing requirements.' : 'Your chosen model is down or we received an invalid response from it.'),
  stream: { comments: ['OPENROUTER PROCESSING', 'OPENROUTER PROCESSING'], usage: 'always' },
  extra(_method, path, key, ctx) {
    if (!key) return null;
    const limits = ctx.limitsOf(null);
    const day = specs(limits, { id: '*', free: true }, key).find((s) => s.name === 'free-models-per-day')!;
    const used = ctx.view(key.owner, '*', day).used;
    if (path === '/credits') return jsonReply(200, { data: { total_credits: Math.max(0, key.balance ?? 0), total_usage: 0 } });
    return jsonReply(200, {
      data: {
        label: key.label ?? `simulated key of ${key.owner}`,
        limit: null,
        limit_reset: null,
        limit_remaining: null,
        include_byok_in_limit: false,
        usage: 0,
        usage_daily: 0,
        usage_weekly: 0,
        usage_monthly: 0,
        byok_usage: 0,
        byok_usage_daily: 0,
        byok_usage_weekly: 0,
        byok_usage_monthly: 0,
        is_free_tier: !key.creditsPurchased,
        rate_limit: { requests: -1, interval: '10s', note: 'This field is deprecated and safe to ignore.' },
        creator_user_id: userId(key),
        expires_at: null,
        free_model_daily_requests: { used, limit: day.limit, remaining: Math.max(0, day.limit - used) },
      },
    });
  },
};

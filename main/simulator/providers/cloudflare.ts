import { nextUtcMidnight } from './calendar';
import { bearer, limitOf, openaiModels, openaiRoute, type Dialect, type Route } from './dialect';
import { ceilSeconds } from './durations';
import { hashString } from '../prng';
import type { MeterSpec, ProviderLimits, Reply } from './types';
import { jsonReply } from './types';

/**
 * Cloudflare Workers AI (providers.md §13): `…/client/v4/accounts/{account id}/ai/v1/…`; per
 * account, every model together — a daily neuron budget ending 00:00 UTC (one neuron per 10
 * tokens here) and requests a minute; errors in Cloudflare's v4 envelope: 4006 when the day's
 * neurons are used up, 3021 for the rate limit (with retry-after); GET …/tokens/verify answers
 * who the token is.
 */

const cfError = (status: number, code: number, message: string, headers: Record<string, string> = {}): Reply =>
  jsonReply(status, { errors: [{ code, message }], success: false, result: null, messages: [] }, headers);

const ok = (result: unknown, messages: unknown[] = []): Reply => jsonReply(200, { result, success: true, errors: [], messages });

function route(method: string, path: string): Route | null {
  const p = path.replace(/\/+$/, '');
  if ((method === 'GET' || method === 'HEAD') && p === '/user/tokens/verify') return { op: 'extra', path: p };
  const m = /^\/accounts\/([^/]+)(\/.*)$/.exec(p);
  if (!m) return null;
  const [, accountId, rest] = m as unknown as [string, string, string];
  if ((method === 'GET' || method === 'HEAD') && (rest === '/tokens/verify' || rest === '/ai/models/search')) return { op: 'extra', path: rest, accountId };
  if (!rest.startsWith('/ai/v1/')) return null;
  const inner = openaiRoute(method, rest.slice('/ai/v1'.length));
  return inner ? { ...inner, accountId } : null;
}

function specs(limits: ProviderLimits): MeterSpec[] {
  const out: MeterSpec[] = [];
  const neurons = limitOf(limits, 'neuronsPerDay');
  const rpm = limitOf(limits, 'rpm');
  if (neurons !== null) out.push({ name: 'neurons', unit: 'neurons', limit: neurons, clock: { kind: 'calendar', next: nextUtcMidnight }, scope: 'owner' });
  if (rpm !== null) out.push({ name: 'rpm', unit: 'requests', limit: rpm, clock: { kind: 'window', seconds: 60 }, scope: 'owner' });
  return out;
}

export const cloudflare: Dialect = {
  id: 'cloudflare',
  prefix: '/cloudflare/client/v4',
  route,
  token: bearer,
  defaultLimits: { neuronsPerDay: 10_000, rpm: 300 },
  models: [{ id: '@cf/meta/llama-3.3-70b-instruct-fp8-fast' }, { id: '@cf/meta/llama-3.1-8b-instruct' }, { id: '@cf/baai/bge-base-en-v1.5', embeds: true }],
  meters: (limits) => specs(limits),
  authFailed: () => cfError(401, 10000, 'Authentication error'),
  badRequest: (message) => cfError(400, 5006, message),
  unknownModel: (id) => cfError(400, 5007, `No such model ${id} or task`),
  limited(e) {
    if (e.spec.name === 'neurons') {
      return cfError(429, 4006, `you have used up your daily free allocation of ${e.spec.limit.toLocaleString('en-US')} neurons, please upgrade to Cloudflare's Workers Paid plan if you would like to continue usage.`);
    }
    return cfError(429, 3021, 'Rate limit exceeded', { 'retry-after': String(ceilSeconds(e.waitMs)) });
  },
  modelsList: (models) => openaiModels(models, 'cloudflare'),
  capacity: () => cfError(429, 3040, 'Capacity temporarily exceeded, please try again.'),
  serverError: (status) => cfError(status, 3043, 'Internal server error'),
  stream: { usage: 'asked' },
  extra(_method, path, key) {
    if (!key) return null;
    if (path.endsWith('/tokens/verify')) {
      return ok({ id: hashString(`${key.owner}\n${key.key}`).toString(16).padStart(32, '0'), status: 'active' }, [{ code: 10000, message: 'This API Token is valid and active', type: null }]);
    }
    if (path === '/ai/models/search') {
      return ok(cloudflare.models.map((m) => ({ id: hashString(m.id).toString(16), name: m.id, task: { name: m.embeds ? 'Text Embeddings' : 'Text Generation' } })));
    }
    return null;
  },
};

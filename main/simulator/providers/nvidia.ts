import { bearer, limitOf, openaiModels, openaiRoute, type Dialect } from './dialect';
import { hashString } from '../prng';
import type { Reply } from './types';

/**
 * NVIDIA NIM (providers.md §8): about 40 requests a minute per account, counted over a minute
 * window; every error RFC 7807 problem+json; a 429 is `{"status":429,"title":"Too Many Requests"}`
 * with no Retry-After and no rate-limit headers; occasional 503s (`serverErrorRate`).
 */

const problem = (status: number, title: string, detail?: string): Reply => ({
  status,
  headers: { 'content-type': 'application/problem+json' },
  body: JSON.stringify({ status, title, ...(detail ? { detail } : {}) }),
});

const functionId = (model: string) => {
  const h = hashString(model).toString(16).padStart(8, '0');
  return `${h}-0000-4000-8000-${h}${h.slice(0, 4)}`;
};

export const nvidia: Dialect = {
  id: 'nvidia',
  prefix: '/nvidia/v1',
  route: openaiRoute,
  token: bearer,
  defaultLimits: { rpm: 40 },
  models: [{ id: 'meta/llama-3.3-70b-instruct' }, { id: 'deepseek-ai/deepseek-v3.1' }, { id: 'nvidia/nv-embedqa-e5-v5', embeds: true }],
  meters: (limits) => {
    const rpm = limitOf(limits, 'rpm');
    return rpm === null ? [] : [{ name: 'rpm', unit: 'requests', limit: rpm, clock: { kind: 'window', seconds: 60 }, scope: 'owner' }];
  },
  authFailed: () => problem(401, 'Unauthorized', 'Authentication failed'),
  badRequest: (message) => problem(400, 'Bad Request', message),
  unknownModel: (id) => problem(404, 'Not Found', `Function '${functionId(id)}': Not found for account 'simulated'`),
  limited: () => problem(429, 'Too Many Requests'),
  modelsList: (models) => openaiModels(models, 'nvidia'),
  capacity: () => problem(503, 'Service Unavailable', 'The function is busy. Please retry later.'),
  serverError: (status) => problem(status, status === 503 ? 'Service Unavailable' : 'Internal Server Error'),
  stream: { usage: 'asked' },
};

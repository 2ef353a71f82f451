import type { IncomingHttpHeaders } from 'node:http';
import { promptText } from '../content';
import { bearer, limitOf, openaiModels, openaiRoute, type Dialect } from './dialect';
import { ceilSeconds } from './durations';
import type { MeterSpec, MeterView, ProviderLimits, Reply } from './types';
import { jsonReply } from './types';

/**
 * Azure OpenAI v1 (providers.md §6): `model` is a deployment; quota per (resource, deployment):
 * TPM over a minute (the prompt plus `max_tokens` counted) and RPM evaluated over 10-second
 * windows (RPM/6 each); `api-key` or Bearer; x-ratelimit-remaining-* on success; on 429
 * `retry-after` and `retry-after-ms`, `error.code` the string "429" and "Please retry after N
 * seconds"; a prompt containing SIMULATE_CONTENT_FILTER gets the 400 `content_filter`.
 */

export const CONTENT_FILTER_MARKER = 'SIMULATE_CONTENT_FILTER';

const azureError = (status: number, code: string, message: string, headers: Record<string, string> = {}): Reply =>
  jsonReply(status, { error: { code, message } }, headers);

function specs(limits: ProviderLimits): MeterSpec[] {
  const out: MeterSpec[] = [];
  const rpm = limitOf(limits, 'rpm');
  const tpm = limitOf(limits, 'tpm');
  if (rpm !== null) out.push({ name: 'rpm', unit: 'requests', limit: Math.max(1, Math.ceil(rpm / 6)), clock: { kind: 'window', seconds: 10 }, scope: 'model' });
  if (tpm !== null) out.push({ name: 'tpm', unit: 'tokens', limit: tpm, clock: { kind: 'window', seconds: 60 }, scope: 'model' });
  return out;
}

function headers(views: readonly MeterView[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, kind] of [['rpm', 'requests'], ['tpm', 'tokens']] as const) {
    const v = views.find((view) => view.spec.name === name);
    if (!v) continue;
    out[`x-ratelimit-limit-${kind}`] = String(v.spec.limit);
    out[`x-ratelimit-remaining-${kind}`] = String(v.remaining);
  }
  return out;
}

const token = (h: IncomingHttpHeaders): string | null => {
  const apiKey = h['api-key'];
  return typeof apiKey === 'string' && apiKey ? apiKey : bearer(h);
};

export const azure: Dialect = {
  id: 'azure',
  prefix: '/azure/openai/v1',
  route: openaiRoute,
  token,
  defaultLimits: { rpm: 60, tpm: 10_000 },
  models: [{ id: 'gpt-4o-mini' }, { id: 'gpt-4.1-nano' }, { id: 'text-embedding-3-small', embeds: true }],
  meters: (limits) => specs(limits),
  countedTokens: (prompt, completion, maxTokens) => prompt + (maxTokens ?? completion),
  authFailed: () =>
    azureError(401, '401', 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.'),
  badRequest: (message) => jsonReply(400, { error: { message, type: 'invalid_request_error', param: null, code: null } }),
  unknownModel: () =>
    azureError(404, 'DeploymentNotFound', 'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.'),
  refuse(body) {
    if (!promptText(body.messages).includes(CONTENT_FILTER_MARKER)) return null;
    const safe = { filtered: false, severity: 'safe' };
    return jsonReply(400, {
      error: {
        message: "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766",
        type: null,
        param: 'prompt',
        code: 'content_filter',
        status: 400,
        innererror: {
          code: 'ResponsibleAIPolicyViolation',
          content_filter_result: { hate: safe, jailbreak: { filtered: false, detected: false }, self_harm: safe, sexual: safe, violence: { filtered: true, severity: 'medium' } },
        },
      },
    });
  },
  limited(e, a, _now, views) {
    const seconds = ceilSeconds(e.waitMs);
    const operation = a.operation === 'chat' ? 'ChatCompletions_Create' : 'Embeddings_Create';
    const what = e.spec.unit === 'tokens' ? 'token rate limit' : 'call rate limit';
    const message = `Requests to the ${operation} Operation under Azure OpenAI API version v1 have exceeded ${what} of your current AIServices S0 pricing tier. Please retry after ${seconds} seconds. Please contact Azure support service if you would like to further increase the default rate limit.`;
    return azureError(429, '429', message, { ...headers(views), 'retry-after': String(seconds), 'retry-after-ms': String(Math.ceil(e.waitMs)) });
  },
  successHeaders: (views) => headers(views),
  modelsList: (models) => openaiModels(models, 'system'),
  capacity: () =>
    azureError(429, '429', 'The system is currently experiencing high demand and cannot process your request. Please retry after 20 seconds.', { 'retry-after': '20', 'retry-after-ms': '20000' }),
  serverError: (status) => azureError(status, status === 503 ? 'ServiceUnavailable' : 'InternalServerError', 'The server had an error while processing your request. Sorry about that!'),
  stream: { usage: 'asked' },
};

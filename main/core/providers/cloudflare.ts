import { openAiLike } from './base';
import { operationsFromId, parseOpenAiModelList } from './catalog';
import bundled from './catalogs/cloudflare.json';
import { joinUrl, without } from './http';
import { nextUtcMidnight } from './parse/calendar';
import { isRecord, parseBody, str } from './parse/json';
import { headerDelay } from './parse/retry-after';
import { KEY_PATTERNS } from './scrub';
import { limitSignal } from './signal';
import type { LimitSignal, Operation, ProviderCredentials, ProviderModel } from './types';

/** Rejected or ignored by Workers AI (freellmapi `cloudflare.ts`). */
export const CLOUDFLARE_UNSUPPORTED = ['min_p', 'logit_bias', 'logprobs', 'top_logprobs', 'reasoning_effort'] as const;
/** Workers AI's default `max_tokens` is small; this is sent when the client names none. */
export const CLOUDFLARE_DEFAULT_MAX_TOKENS = 8192;
/** The daily free neurons are used up (4006; 3036 from a Worker binding): until 00:00 UTC. */
const DAILY_CODES = new Set([4006, 3036]);
const RATE_LIMIT_CODE = 3021;

export function accountBase(creds: ProviderCredentials): string {
  if (!creds.accountId) throw new Error('A Cloudflare account needs its account id (CLOUDFLARE_ACCOUNT_ID, or account_id in the config file).');
  return joinUrl(creds.baseUrl, `accounts/${encodeURIComponent(creds.accountId)}`);
}

/** Text parts joined into one string; other parts (images) left as they are. */
function flatten(content: unknown): unknown {
  if (!Array.isArray(content) || !content.every((part) => isRecord(part) && part.type === 'text' && typeof part.text === 'string')) return content;
  return content.map((part) => (part as { text: string }).text).join('\n');
}

function prepareBody(op: Operation, body: Record<string, unknown>): Record<string, unknown> {
  if (op !== 'chat') return body;
  const out = without(body, [...CLOUDFLARE_UNSUPPORTED, 'max_completion_tokens']);
  out.max_tokens = body.max_tokens ?? body.max_completion_tokens ?? CLOUDFLARE_DEFAULT_MAX_TOKENS;
  if (Array.isArray(body.messages)) {
    out.messages = body.messages.map((message) => {
      if (!isRecord(message)) return message;
      return { ...message, content: message.content === null || message.content === undefined ? '' : flatten(message.content) };
    });
  }
  return out;
}

/** The Cloudflare v4 envelope's first error code, if any. */
function firstError(bodyText: string): { code: number | null; message: string } | null {
  const json = parseBody(bodyText);
  if (!isRecord(json) || !Array.isArray(json.errors) || !isRecord(json.errors[0])) return null;
  const first = json.errors[0];
  return { code: typeof first.code === 'number' ? first.code : Number(str(first.code) ?? NaN), message: str(first.message) ?? '' };
}

function readLimit(status: number, headers: Record<string, string>, bodyText: string, now: number): LimitSignal | null {
  const error = firstError(bodyText);
  const message = error?.message || bodyText;
  if (error?.code !== null && error?.code !== undefined && DAILY_CODES.has(error.code)) {
    return limitSignal({ scope: 'owner', window: { period: 'day', unit: 'neurons' }, now, resetAt: nextUtcMidnight(now), source: 'calendar', message });
  }
  if (status !== 429 && error?.code !== RATE_LIMIT_CODE) return null;
  const header = headerDelay(headers, now);
  const window = error?.code === RATE_LIMIT_CODE ? ({ period: 'minute', unit: 'requests' } as const) : ({ period: null, unit: null } as const);
  return limitSignal({ scope: 'owner', window, now, delayMs: header?.ms ?? 60_000, source: header?.source ?? 'default', message, boundBy: 'day' });
}

/** `GET /accounts/{id}/ai/models/search`: `{result:[{name, task:{name}}]}` (an OpenAI list is read too). */
function parseCatalog(json: unknown): ProviderModel[] {
  if (!isRecord(json) || !Array.isArray(json.result)) return parseOpenAiModelList(json);
  return json.result.flatMap((entry) => {
    const name = isRecord(entry) ? str(entry.name) : null;
    if (!name) return [];
    const task = isRecord(entry) && isRecord(entry.task) ? (str(entry.task.name) ?? '') : '';
    const operations: Operation[] = /embedding/i.test(task) ? ['embeddings'] : /text generation/i.test(task) ? ['chat'] : task ? [] : operationsFromId(name);
    return operations.length > 0 ? [{ id: name, upstreamId: name, operations }] : [];
  });
}

export const cloudflare = openAiLike({
  id: 'cloudflare',
  name: 'Cloudflare Workers AI',
  env: { key: 'CLOUDFLARE_API_TOKEN', extra: 'CLOUDFLARE_ACCOUNT_ID', baseUrl: 'CLOUDFLARE_BASE_URL' },
  defaultBaseUrl: 'https://api.cloudflare.com/client/v4',
  keyPatterns: [],
  about: { keysUrl: 'https://dash.cloudflare.com/profile/api-tokens', offers: '10,000 free neurons a day per account, reset at 00:00 UTC; needs the account id beside the token.' },
  bundled,
  apiBase: (creds) => joinUrl(accountBase(creds), 'ai/v1'),
  catalogUrl: (creds) => joinUrl(accountBase(creds), 'ai/models/search'),
  prepareBody,
  parseCatalog,
  readLimit,
});

import type { Exchange } from './exchange';
import type { ConcreteRateLimitVariant } from './options';
import type { SimLimitType } from './quota';

/** Error responses shaped as GitHub Models sends them (see shared/reference/github-models-api.md). */

const JSON_TYPE = { 'content-type': 'application/json' };
const TEXT_TYPE = { 'content-type': 'text/plain; charset=utf-8' };

export interface RateLimitReply {
  limitType: SimLimitType;
  limit: number;
  windowSeconds: number;
  waitSeconds: number;
}

export function rateLimitMessage(r: RateLimitReply): string {
  return `Rate limit of ${r.limit} per ${r.windowSeconds}s exceeded for ${r.limitType}. Please wait ${r.waitSeconds} seconds before retrying.`;
}

/** 429 RateLimitReached; the variant decides which rate-limit headers are sent. */
export function sendRateLimited(x: Exchange, r: RateLimitReply, variant: ConcreteRateLimitVariant): void {
  const message = rateLimitMessage(r);
  const body = JSON.stringify({ error: { code: 'RateLimitReached', message, details: message } });
  const wait = String(r.waitSeconds);
  const headers: Record<string, Record<string, string>> = {
    full: {
      ...JSON_TYPE,
      'retry-after': wait,
      'x-ratelimit-type': r.limitType,
      'x-ratelimit-timeremaining': wait,
      'x-ms-error-code': 'RateLimitReached',
    },
    'retry-after': { ...JSON_TYPE, 'retry-after': wait },
    timeremaining: { ...JSON_TYPE, 'x-ratelimit-timeremaining': wait },
    body: { ...TEXT_TYPE },
  };
  x.limitType = r.limitType;
  x.send(429, headers[variant] ?? JSON_TYPE, body);
}

export function sendUnauthorized(x: Exchange): void {
  const body = { error: { code: 'unauthorized', message: 'Bad credentials', details: 'Bad credentials' } };
  x.send(401, JSON_TYPE, JSON.stringify(body));
}

/** GitHub's REST API answer to a bad token (GET /user). */
export function sendApiUnauthorized(x: Exchange): void {
  const body = { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' };
  x.send(401, { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify(body));
}

/** A bare 403, as upstream answers for a model the account is not entitled to. */
export function sendForbidden(x: Exchange): void {
  x.send(403, TEXT_TYPE, 'Forbidden');
}

/** 404 unknown_model, sent as text/plain like upstream. */
export function sendUnknownModel(x: Exchange, id: string): void {
  const message = `Unknown model: ${id}`;
  const details = `Model ${id} is not available. Use a model id from the catalog, e.g. openai/gpt-4o-mini.`;
  x.send(404, TEXT_TYPE, JSON.stringify({ error: { code: 'unknown_model', message, details } }));
}

export function sendTokensLimit(x: Exchange, modelName: string, maxTokens: number): void {
  const message = `Request body too large for ${modelName} model. Max size: ${maxTokens} tokens.`;
  x.send(413, JSON_TYPE, JSON.stringify({ error: { code: 'tokens_limit_reached', message, details: message } }));
}

export function sendBadRequest(x: Exchange, code: string, message: string, status = 400): void {
  x.send(status, JSON_TYPE, JSON.stringify({ error: { code, message, details: message } }));
}

export function sendNotFound(x: Exchange): void {
  x.send(404, JSON_TYPE, JSON.stringify({ error: { code: 'not_found', message: 'Not Found', details: 'Not Found' } }));
}

const STATUS_TEXT: Record<number, string> = { 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable' };

/** A 5xx with either a JSON body or an HTML page (what a gateway in front of upstream sends). */
export function sendServerError(x: Exchange, status: 500 | 502 | 503, html: boolean): void {
  const text = STATUS_TEXT[status] ?? 'Error';
  if (html) {
    const page = `<html>\r\n<head><title>${status} ${text}</title></head>\r\n<body>\r\n<center><h1>${status} ${text}</h1></center>\r\n</body>\r\n</html>\r\n`;
    x.send(status, { 'content-type': 'text/html' }, page);
    return;
  }
  const code = status === 503 ? 'ServiceUnavailable' : 'InternalServerError';
  const message = `The server had an error processing your request (${status} ${text}).`;
  x.send(status, JSON_TYPE, JSON.stringify({ error: { code, message, details: message } }));
}

/** Announces the whole body, sends half of it, then drops the connection (a mid-response reset). */
export function sendCutShort(x: Exchange, status: number, headers: Record<string, string>, body: string): void {
  const bytes = Buffer.from(body);
  x.head(status, { ...headers, 'content-length': String(bytes.length) });
  x.writeThenDrop(bytes.subarray(0, Math.floor(bytes.length / 2)));
}

/** The body GitHub Models answers with 410 since its retirement (as captured, github-models-api.md). */
export const RETIRED_BODY = JSON.stringify({
  error: { code: 'github_models_retirement_brownout', message: 'GitHub Models is temporarily unavailable as part of a scheduled retirement brownout.' },
});

/** 410 Gone: GitHub Models was retired on 2026-07-30. */
export function sendRetired(x: Exchange): void {
  x.send(410, JSON_TYPE, RETIRED_BODY);
}

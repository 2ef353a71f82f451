import type { Operation, ProviderRequest } from './types';

export const USER_AGENT = 'switchyard';

/** `{base}{path}` with exactly one slash between them. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** The OpenAI path of an operation. */
export const OPERATION_PATHS: Record<Operation, string> = {
  chat: 'chat/completions',
  embeddings: 'embeddings',
};

/** The key as a bearer token; a normal User-Agent (Groq and Cerebras sit behind Cloudflare's bot check). */
export function bearer(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}`, 'user-agent': USER_AGENT };
}

/** A JSON POST; `body` as it goes (text or bytes) or an object to serialise. */
export function postJson(url: string, headers: Record<string, string>, body: Record<string, unknown> | string | Uint8Array): ProviderRequest {
  const payload = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
  return { method: 'POST', url, headers: { ...headers, 'content-type': 'application/json' }, body: payload };
}

/** A built request's body as text ('' for none). */
export function bodyText(request: Pick<ProviderRequest, 'body'>): string {
  const body = request.body;
  if (body === undefined) return '';
  return typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
}

export function getJson(url: string, headers: Record<string, string>): ProviderRequest {
  return { method: 'GET', url, headers: { ...headers, accept: 'application/json' } };
}

/** A copy of the body without the named top-level fields. */
export function without(body: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out = { ...body };
  for (const field of fields) delete out[field];
  return out;
}

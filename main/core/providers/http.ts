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

export function postJson(url: string, headers: Record<string, string>, body: Record<string, unknown>): ProviderRequest {
  return { method: 'POST', url, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) };
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

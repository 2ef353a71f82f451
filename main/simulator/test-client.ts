import { request } from 'undici';
import type { Simulator } from './server';

/** Helpers for the simulator's own tests: plain HTTP calls over real sockets. */

export interface Reply {
  status: number;
  headers: Record<string, string>;
  text: string;
}

export interface CallOptions {
  token?: string | null;
  body?: unknown;
  method?: 'GET' | 'POST';
  signal?: AbortSignal;
}

export async function call(sim: Simulator, path: string, options: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await request(`${sim.url}${path}`, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers,
    body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
    signal: options.signal,
  });
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') flat[name] = value;
  return { status: res.statusCode, headers: flat, text: await res.body.text() };
}

export const chat = (sim: Simulator, token: string | null, body: Record<string, unknown>) =>
  call(sim, '/inference/chat/completions', { token, body: { messages: [{ role: 'user', content: 'hi' }], ...body } });

/** Polls `check` on the event loop (no timing assertion): resolves once it holds, fails after `tries`. */
export async function until(check: () => boolean, tries = 500): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('condition never held');
}

/** The rate-limit headers of a reply (those the variants differ on). */
export function rateLimitHeaders(reply: Reply): Record<string, string> {
  const names = ['retry-after', 'x-ratelimit-type', 'x-ratelimit-timeremaining', 'x-ms-error-code'];
  return Object.fromEntries(names.filter((n) => n in reply.headers).map((n) => [n, reply.headers[n] ?? '']));
}

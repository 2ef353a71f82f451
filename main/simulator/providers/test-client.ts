import OpenAI, { APIError } from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { request } from 'undici';
import { afterEach } from 'vitest';
import type { SimulatorOptions } from '../options';
import { startSimulator, type Simulator } from '../server';
import { providerBaseUrl } from './registry';
import type { SimProviderId } from './types';

/** Helpers for the provider dialects' tests: the official `openai` SDK, and raw calls for exact bytes. */

/** A starter for one test file: every simulator it starts is closed after each test. */
export function simulators(): (options?: SimulatorOptions) => Promise<Simulator> {
  const open: Simulator[] = [];
  afterEach(async () => {
    for (const sim of open.splice(0)) await sim.close();
  });
  return async (options = {}) => {
    const sim = await startSimulator(options);
    open.push(sim);
    return sim;
  };
}

/** A virtual clock the simulator reads (`now`), moved by the test. */
export function virtualClock(start = Date.UTC(2026, 8, 1, 12, 0, 0)) {
  const clock = { t: start, now: () => clock.t, advance: (ms: number) => void (clock.t += ms) };
  return clock;
}

export function sdk(sim: Simulator, provider: SimProviderId, key: string, accountId?: string): OpenAI {
  const base = providerBaseUrl(sim.url, provider);
  const baseURL = provider === 'cloudflare' ? `${base}/accounts/${accountId}/ai/v1` : base;
  return new OpenAI({ baseURL, apiKey: key, maxRetries: 0 });
}

export interface RawReply {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: () => any;
}

/** A POST (or GET without a body) below a provider's prefix, with Bearer `key` unless `headers` say otherwise. */
export async function raw(sim: Simulator, path: string, key: string | null, body?: unknown, headers: Record<string, string> = {}): Promise<RawReply> {
  const h: Record<string, string> = { ...headers };
  if (key) h.authorization = `Bearer ${key}`;
  if (body !== undefined) h['content-type'] = 'application/json';
  const res = await request(`${sim.url}${path}`, { method: body === undefined ? 'GET' : 'POST', headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') flat[name] = value;
  const text = await res.body.text();
  return { status: res.statusCode, headers: flat, text, json: () => JSON.parse(text) };
}

/** A one-message chat request (`extra` for raw calls with fields the SDK types do not have). */
export const hi = (model: string, extra: Record<string, unknown> = {}): ChatCompletionCreateParamsNonStreaming => ({ model, messages: [{ role: 'user', content: 'hi' }], ...extra });

/** The SDK's error for a call that must fail (a test failure when it succeeds). */
export async function failure(call: Promise<unknown>): Promise<APIError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof APIError) return error;
    throw error;
  }
  throw new Error('expected an API error');
}

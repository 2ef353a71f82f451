import { once } from 'node:events';
import type { FastifyReply } from 'fastify';
import { ProxyError } from '../errors';
import type { DispatchSuccess } from '../pool/types';
import { openaiErrors } from './dialects/error-shapes';

/** Response headers of upstream that a client may rely on; the rest (rate-limit numbers of one account) stay behind. */
const PASSED_HEADERS = ['content-type', 'x-request-id', 'apim-request-id'];

/** Whether the whole answer reached the client (the pool counts its usage from the body itself). */
export interface RelayOutcome {
  completed: boolean;
}

export function relayHeaders(result: DispatchSuccess, addedMs: number): Record<string, string> {
  const headers: Record<string, string> = {
    'x-switchyard-account': result.account,
    'x-switchyard-overhead-ms': addedMs.toFixed(3),
  };
  for (const name of PASSED_HEADERS) {
    const value = result.reply.headers[name];
    if (value) headers[name] = value;
  }
  if (result.attempts > 1) headers['x-switchyard-attempts'] = String(result.attempts);
  return headers;
}

/** A JSON answer: read whole (it is small), relayed byte for byte. */
export async function relayJson(reply: FastifyReply, result: DispatchSuccess, headers: Record<string, string>): Promise<RelayOutcome> {
  const chunks: Buffer[] = [];
  for await (const chunk of result.reply.body) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  reply.code(result.reply.status).headers(headers);
  if (!headers['content-type']) reply.type('application/json');
  await reply.send(body);
  return { completed: true };
}

/** Takes the socket from Fastify and sends an event stream's headers at once (no proxy buffering). */
export function openEventStream(reply: FastifyReply, status: number, headers: Record<string, string>): FastifyReply['raw'] {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(status, {
    'content-type': 'text/event-stream',
    ...headers,
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
  return res;
}

/**
 * An SSE answer: every chunk is written to the client as it arrives (never buffered whole).
 * A failure after the headers went out becomes OpenAI's `data: {"error":…}` event,
 * which the official SDKs raise as an error.
 */
export async function relayStream(reply: FastifyReply, result: DispatchSuccess, headers: Record<string, string>, signal: AbortSignal): Promise<RelayOutcome> {
  const res = openEventStream(reply, result.reply.status, { ...headers, 'content-type': headers['content-type'] ?? 'text/event-stream' });
  try {
    for await (const chunk of result.reply.body) {
      if (signal.aborted) break;
      if (!res.write(chunk as Buffer)) await once(res, 'drain', { signal });
    }
    if (signal.aborted) return { completed: false };
    res.end();
    return { completed: true };
  } catch (error) {
    if (!signal.aborted && !res.destroyed) {
      res.end(openaiErrors.streamEvent(midStreamFailure(error)));
    }
    result.reply.body.destroy();
    return { completed: false };
  }
}

/** The error of an upstream stream that broke off after its headers went out. */
export function midStreamFailure(error: unknown): ProxyError {
  if (error instanceof ProxyError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ProxyError(502, 'upstream_error', `The upstream stream failed midway: ${message}`, { code: 'stream_interrupted' });
}

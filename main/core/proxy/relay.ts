import { once } from 'node:events';
import type { FastifyReply } from 'fastify';
import { ProxyError } from '../errors';
import type { DispatchSuccess } from '../pool/types';
import { openaiErrors } from './dialects/error-shapes';

/** Response headers of upstream that a client may rely on; the rest (rate-limit numbers of one account) stay behind. */
const PASSED_HEADERS = ['content-type', 'x-request-id', 'apim-request-id'];

const TAIL_BYTES = 8192;

/** How a relay ended: whether the whole answer reached the client, and upstream's token count. */
export interface RelayOutcome {
  completed: boolean;
  usage: { total_tokens?: number } | null;
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
  return { completed: true, usage: readUsage(body.toString('utf8')) };
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
  // The last few KB of the stream, kept as buffers (decoded once at the end) to read its usage chunk.
  const tail: Buffer[] = [];
  let tailBytes = 0;
  try {
    for await (const chunk of result.reply.body) {
      if (signal.aborted) break;
      const buf = chunk as Buffer;
      tail.push(buf);
      tailBytes += buf.length;
      while (tail.length > 1 && tailBytes - tail[0]!.length >= TAIL_BYTES) tailBytes -= tail.shift()!.length;
      if (!res.write(buf)) await once(res, 'drain', { signal });
    }
    if (signal.aborted) return { completed: false, usage: null };
    res.end();
    return { completed: true, usage: readUsage(Buffer.concat(tail).toString('utf8')) };
  } catch (error) {
    if (!signal.aborted && !res.destroyed) {
      res.end(openaiErrors.streamEvent(midStreamFailure(error)));
    }
    result.reply.body.destroy();
    return { completed: false, usage: null };
  }
}

/** The error of an upstream stream that broke off after its headers went out. */
export function midStreamFailure(error: unknown): ProxyError {
  if (error instanceof ProxyError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ProxyError(502, 'upstream_error', `The upstream stream failed midway: ${message}`, { code: 'stream_interrupted' });
}

/**
 * `usage.total_tokens` of an answer, read without parsing the whole body (the usage object comes
 * last in OpenAI's shape; a full JSON.parse per request showed up in profiles).
 */
export function readUsage(text: string): { total_tokens?: number } | null {
  const at = text.lastIndexOf('"usage"');
  if (at < 0) return null;
  const match = /"total_tokens"\s*:\s*(\d+)/.exec(text.slice(at, at + 400));
  return match ? { total_tokens: Number(match[1]) } : null;
}

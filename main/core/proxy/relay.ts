import { once } from 'node:events';
import type { FastifyReply } from 'fastify';
import type { DispatchSuccess } from '../pool/types';

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

/**
 * An SSE answer: every chunk is written to the client as it arrives (never buffered whole).
 * A failure after the headers went out becomes an OpenAI-style `data: {"error":…}` event,
 * which the official SDKs raise as an error.
 */
export async function relayStream(reply: FastifyReply, result: DispatchSuccess, headers: Record<string, string>, signal: AbortSignal): Promise<RelayOutcome> {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(result.reply.status, {
    ...headers,
    'content-type': headers['content-type'] ?? 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
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
      const message = error instanceof Error ? error.message : String(error);
      const event = { error: { message: `The upstream stream failed midway: ${message}`, type: 'upstream_error', code: 'stream_interrupted', param: null } };
      res.end(`data: ${JSON.stringify(event)}\n\n`);
    }
    result.reply.body.destroy();
    return { completed: false };
  }
}

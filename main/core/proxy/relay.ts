import { once } from 'node:events';
import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { ProxyError } from '../errors';
import { TAKE_WHOLE, type WholeBody } from '../pool/leased-body';
import type { DispatchSuccess } from '../pool/types';
import { openaiErrors } from './dialects/error-shapes';
import { SseGate, type GateOutput } from './sse-gate';
import { limitStream } from './stream-limit';

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
  const take = (result.reply.body as WholeBody)[TAKE_WHOLE];
  let body: Buffer;
  if (take) body = take();
  else {
    const chunks: Buffer[] = [];
    for await (const chunk of result.reply.body) chunks.push(chunk as Buffer);
    body = Buffer.concat(chunks);
  }
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

/** How a stream is relayed: the client's hang-up, and the longest it may run (settings.timeouts.maxStreamMs). */
export interface StreamRelayOptions {
  signal: AbortSignal;
  maxStreamMs: number;
}

/**
 * An SSE answer: every event is written to the client as soon as it is whole (never buffered
 * whole), as upstream framed it. A failure after the headers went out becomes OpenAI's
 * `data: {"error":…}` event, which the official SDKs raise as an error.
 */
export async function relayStream(reply: FastifyReply, result: DispatchSuccess, headers: Record<string, string>, options: StreamRelayOptions): Promise<RelayOutcome> {
  const res = openEventStream(reply, result.reply.status, { ...headers, 'content-type': headers['content-type'] ?? 'text/event-stream' });
  const completed = await pumpEvents(res, result.reply.body, options, {
    each: (out) => out.text,
    end: () => '',
    fail: (error) => openaiErrors.streamEvent(error),
  });
  return { completed };
}

/** What a relay writes at each step of an upstream stream, in its client's dialect. */
export interface StreamWriter {
  /** Sent before upstream's first event. */
  start?(): string;
  /** For the events of one upstream read (checked, whole). */
  each(out: GateOutput): string;
  /** Once upstream's body ended (may throw: the answer was unfinished). */
  end(): string;
  /** The event that ends a stream which failed midway. */
  fail(error: ProxyError): string;
}

/**
 * Pumps an upstream event stream into the client's: each read goes through the SseGate (only
 * whole, valid events pass) and is written as `writer` renders it, waiting for the client to
 * drain. Upstream breaking off, sending something that is not an event, or running past
 * `maxStreamMs` ends the client's stream with `writer.fail`; a client that left gets nothing more.
 * Resolves whether the whole answer reached the client; the upstream body is destroyed otherwise.
 */
export async function pumpEvents(res: FastifyReply['raw'], body: Readable, options: StreamRelayOptions, writer: StreamWriter): Promise<boolean> {
  const { signal } = options;
  const limit = limitStream(body, options.maxStreamMs);
  const waits = AbortSignal.any([signal, limit.signal]);
  const write = async (text: string) => {
    if (text && !res.write(text)) await once(res, 'drain', { signal: waits });
  };
  const gate = new SseGate();
  const pass = async (out: GateOutput) => {
    await write(writer.each(out));
    if (out.failure) throw out.failure;
  };
  try {
    if (writer.start) await write(writer.start());
    for await (const chunk of body) {
      if (signal.aborted) break;
      await pass(gate.push(chunk as Buffer));
    }
    if (signal.aborted) return false;
    await pass(gate.finish());
    res.end(writer.end());
    return true;
  } catch (error) {
    if (!signal.aborted && !res.destroyed) res.end(writer.fail(limit.error ?? midStreamFailure(error)));
    body.destroy();
    return false;
  } finally {
    limit.clear();
  }
}

/** The error of an upstream stream that broke off after its headers went out. */
export function midStreamFailure(error: unknown): ProxyError {
  if (error instanceof ProxyError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ProxyError(502, 'upstream_error', `The upstream stream failed midway: ${message}`, { code: 'stream_interrupted' });
}

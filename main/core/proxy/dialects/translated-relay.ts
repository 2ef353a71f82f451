import { once } from 'node:events';
import { createParser } from 'eventsource-parser';
import type { FastifyReply } from 'fastify';
import { ProxyError } from '../../errors';
import type { DispatchSuccess } from '../../pool/types';
import { midStreamFailure, openEventStream, type RelayOutcome } from '../relay';
import type { ChatChunk, ChatCompletion } from './chat-shapes';
import type { StreamTransform } from './types';

/** Headers of upstream that describe its own body; a translated answer has a body of its own. */
const withoutBodyHeaders = (headers: Record<string, string>) => {
  const { 'content-type': _type, ...rest } = headers;
  return rest;
};

/** A JSON chat answer, read whole and answered in the dialect's shape. */
export async function relayTranslatedJson(reply: FastifyReply, result: DispatchSuccess, headers: Record<string, string>, translate: (upstream: ChatCompletion) => unknown): Promise<RelayOutcome> {
  const chunks: Buffer[] = [];
  for await (const chunk of result.reply.body) chunks.push(chunk as Buffer);
  let upstream: ChatCompletion;
  try {
    upstream = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatCompletion;
  } catch {
    throw new ProxyError(502, 'upstream_error', 'The upstream answer was not valid JSON. Retry the request.', { code: 'upstream_error' });
  }
  const body = translate(upstream);
  reply.code(200).headers(withoutBodyHeaders(headers)).type('application/json; charset=utf-8');
  await reply.send(JSON.stringify(body));
  return { completed: true };
}

/**
 * An upstream chat stream, translated event by event: each upstream chunk is parsed and the
 * dialect's events for it are written at once. A failure after the headers went out ends the
 * stream with the dialect's own failure event; a stream that stops before its finish is a failure,
 * never a quiet end.
 */
export async function relayTranslatedStream(reply: FastifyReply, result: DispatchSuccess, headers: Record<string, string>, signal: AbortSignal, transform: StreamTransform): Promise<RelayOutcome> {
  const res = openEventStream(reply, 200, withoutBodyHeaders(headers));
  const write = async (text: string) => {
    if (text && !res.write(text)) await once(res, 'drain', { signal });
  };
  let pending: string[] = [];
  let done = false;
  // A character split across two network chunks is decoded once both have arrived.
  const decoder = new TextDecoder();
  const parser = createParser({
    onEvent: (event) => {
      if (event.data === '[DONE]') done = true;
      else if (!done) pending.push(event.data);
    },
  });
  try {
    await write(transform.start());
    for await (const chunk of result.reply.body) {
      if (signal.aborted) break;
      parser.feed(decoder.decode(chunk as Buffer, { stream: true }));
      const events = pending;
      pending = [];
      await write(events.map((data) => transform.chunk(parseChunk(data))).join(''));
    }
    if (signal.aborted) return { completed: false };
    res.end(transform.end());
    return { completed: true };
  } catch (error) {
    if (!signal.aborted && !res.destroyed) res.end(transform.fail(midStreamFailure(error)));
    result.reply.body.destroy();
    return { completed: false };
  }
}

function parseChunk(data: string): ChatChunk {
  try {
    return JSON.parse(data) as ChatChunk;
  } catch {
    throw new ProxyError(502, 'upstream_error', 'The upstream stream sent an event that is not JSON.', { code: 'upstream_error' });
  }
}

/** A failure answered as a 200 event stream (Codex retries a streamed rate limit after its delay). */
export function sendStreamedFailure(reply: FastifyReply, events: string): void {
  openEventStream(reply, 200, {}).end(events);
}

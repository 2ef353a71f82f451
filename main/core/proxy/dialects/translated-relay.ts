import type { FastifyReply } from 'fastify';
import { ProxyError } from '../../errors';
import type { DispatchSuccess } from '../../pool/types';
import { openEventStream, pumpEvents, type RelayOutcome, type StreamRelayOptions } from '../relay';
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
 * An upstream chat stream, translated event by event: each upstream event is parsed and the
 * dialect's events for it are written at once. A failure after the headers went out (upstream
 * broke off, sent something that is not an event, or ran past the longest stream) ends the stream
 * with the dialect's own failure event; a stream that stops before its finish is a failure, never
 * a quiet end.
 */
export async function relayTranslatedStream(reply: FastifyReply, result: DispatchSuccess, headers: Record<string, string>, options: StreamRelayOptions, transform: StreamTransform): Promise<RelayOutcome> {
  const res = openEventStream(reply, 200, withoutBodyHeaders(headers));
  const completed = await pumpEvents(res, result.reply.body, options, {
    start: () => transform.start(),
    each: (out) => out.chunks.map((chunk) => transform.chunk(chunk as ChatChunk)).join(''),
    end: () => transform.end(),
    fail: (error) => transform.fail(error),
  });
  return { completed };
}

/** A failure answered as a 200 event stream (Codex retries a streamed rate limit after its delay). */
export function sendStreamedFailure(reply: FastifyReply, events: string): void {
  openEventStream(reply, 200, {}).end(events);
}

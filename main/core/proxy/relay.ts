import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { FastifyReply } from 'fastify';
import { ProxyError } from '../errors';
import { TAKE_WHOLE, type WholeBody } from '../pool/attempt';
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

/** What one push let through: the whole, valid events as upstream framed them, their parsed data, and why it stopped. */
export interface GateOutput {
  /** The raw text of the events let through (comments included), to relay as it came. */
  text: string;
  /** The JSON data of those events, in order (`[DONE]` and anything after it left out). */
  chunks: Array<Record<string, unknown>>;
  /** Set when upstream sent something that is not a valid event: the stream must end here with this error. */
  failure: ProxyError | null;
}

/** An event ends at an empty line; a lone `\r` at the end of the text may be half of a `\r\n` still to come. */
const EVENT_END = /(?:\r\n|\n|\r(?!\n|$))(?:\r\n|\n|\r(?!\n|$))/g;
/** Lines a block may hold without making an event: comments (`: ping`) and fields that carry no data. */
const NO_DATA_LINE = /^(?::.*|event(?::.*)?|id(?::.*)?|retry(?::.*)?|)$/;

const invalid = (what: string) =>
  new ProxyError(502, 'upstream_error', `The upstream stream ${what}; the answer was cut there. Retry the request.`, { code: 'upstream_invalid_stream' });

/**
 * Checks an upstream SSE body event by event before any of it reaches the client: text is held
 * until its event is whole (a partial event is no use to a client anyway), then each event must
 * carry `data:` that is `[DONE]` or a JSON object. Text without SSE framing, an event that is not
 * JSON, and a stream with no event at all are failures the relay ends with an error event.
 */
export class SseGate {
  private readonly decoder = new TextDecoder();
  private held = '';
  private parsed: EventSourceMessage[] = [];
  private sawEvent = false;
  private done = false;
  private failed = false;
  private readonly parser = createParser({ onEvent: (event) => this.parsed.push(event) });

  push(chunk: Uint8Array): GateOutput {
    const out: GateOutput = { text: '', chunks: [], failure: null };
    if (this.failed) return out;
    this.held += this.decoder.decode(chunk, { stream: true });
    let start = 0;
    for (const end of this.held.matchAll(EVENT_END)) {
      const stop = end.index + end[0].length;
      if (!this.pass(this.held.slice(start, stop), out)) break;
      start = stop;
    }
    this.held = out.failure ? '' : this.held.slice(start);
    return out;
  }

  /** At the end of upstream's body: a last event without its empty line is closed; leftover text or an empty stream is a failure. */
  finish(): GateOutput {
    const out: GateOutput = { text: '', chunks: [], failure: null };
    if (this.failed) return out;
    const rest = this.held + this.decoder.decode();
    this.held = '';
    if (rest.trim() !== '') this.pass(`${rest}\n\n`, out);
    if (!out.failure && !this.sawEvent) out.failure = invalid('ended without sending any event');
    return out;
  }

  /** Checks one whole block; writes it into `out` when valid, else sets the failure. */
  private pass(block: string, out: GateOutput): boolean {
    if (this.done) return true; // nothing after [DONE] is relayed
    this.parsed = [];
    this.parser.feed(block);
    const events = this.parsed;
    if (events.length === 0 && !block.split(/\r\n|\r|\n/).every((line) => NO_DATA_LINE.test(line))) {
      return this.fail(out, invalid('sent text that is not server-sent events (no "data:" framing)'));
    }
    const chunks: Array<Record<string, unknown>> = [];
    for (const event of events) {
      this.sawEvent = true;
      if (event.data === '[DONE]') {
        this.done = true;
        break;
      }
      const data = parseObject(event.data);
      if (!data) return this.fail(out, invalid('sent an event whose data is not a JSON object'));
      chunks.push(data);
    }
    out.text += block;
    out.chunks.push(...chunks);
    return true;
  }

  private fail(out: GateOutput, failure: ProxyError): false {
    this.failed = true;
    out.failure = failure;
    return false;
  }
}

function parseObject(data: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The longest a relayed stream may run, and what cut it once it ran past. */
export interface StreamLimit {
  /** Aborts when the stream ran too long (waits on the client, such as a drain, stop with it). */
  readonly signal: AbortSignal;
  /** The error that cut the stream, once it did; null before. */
  readonly error: ProxyError | null;
  /** Stops the clock once the relay ended. */
  clear(): void;
}

const minutes = (ms: number) => (ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 1000)} s`);

/**
 * Cuts `body` (the upstream answer) `maxMs` after the relay started: the upstream request is
 * destroyed with a ProxyError, which the relay's read loop then throws and ends the client's
 * stream with, in its dialect. A stream that pings forever is otherwise relayed until the client quits.
 */
export function limitStream(body: Readable, maxMs: number): StreamLimit {
  const controller = new AbortController();
  let error: ProxyError | null = null;
  const timer = setTimeout(() => {
    error = new ProxyError(
      504,
      'upstream_error',
      `The upstream stream was still running after ${minutes(maxMs)}, the longest Switchyard relays one (setting timeouts.maxStreamMs), so it was cut here. Ask for a shorter answer, or raise the setting.`,
      { code: 'stream_too_long' },
    );
    controller.abort(error);
    body.destroy(error);
  }, maxMs);
  timer.unref();
  return {
    signal: controller.signal,
    get error() {
      return error;
    },
    clear: () => clearTimeout(timer),
  };
}

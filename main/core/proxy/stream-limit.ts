import type { Readable } from 'node:stream';
import { ProxyError } from '../errors';

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

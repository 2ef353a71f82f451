import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { ProxyError } from '../errors';

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

import { describe, expect, it } from 'vitest';
import { SseGate, type GateOutput } from './relay';

const bytes = (text: string) => Buffer.from(text, 'utf8');

/** Feeds each piece in turn, then the end; returns every output in order. */
function run(pieces: Array<string | Buffer>): GateOutput[] {
  const gate = new SseGate();
  return [...pieces.map((p) => gate.push(typeof p === 'string' ? bytes(p) : p)), gate.finish()];
}

const textOf = (outs: GateOutput[]) => outs.map((o) => o.text).join('');
const failureOf = (outs: GateOutput[]) => outs.find((o) => o.failure)?.failure ?? null;

describe('SseGate', () => {
  it('lets whole events through as upstream framed them, comments included, and parses their data', () => {
    const stream = ': ping\n\ndata: {"a":1}\r\n\r\ndata: {"b":2}\n\ndata: [DONE]\n\n';
    const outs = run([stream]);
    expect(textOf(outs)).toBe(stream);
    expect(outs.flatMap((o) => o.chunks)).toEqual([{ a: 1 }, { b: 2 }]);
    expect(failureOf(outs)).toBeNull();
  });

  it('holds an event until it is whole, a character cut across reads included', () => {
    const whole = bytes('data: {"text":"héllo"}\n\n');
    const cut = whole.indexOf(0xc3) + 1;
    const gate = new SseGate();
    const first = gate.push(whole.subarray(0, cut));
    expect(first.text).toBe('');
    const second = gate.push(whole.subarray(cut));
    expect(second.text).toBe(whole.toString('utf8'));
    expect(second.chunks).toEqual([{ text: 'héllo' }]);
  });

  it('does not take a CRLF cut between two reads for an empty line', () => {
    const gate = new SseGate();
    expect(gate.push(bytes('data: {"a":1}\r')).text).toBe('');
    expect(gate.push(bytes('\n')).text).toBe('');
    expect(gate.push(bytes('\r\n')).chunks).toEqual([{ a: 1 }]);
  });

  it('fails on an event whose data is not JSON, after letting the events before it through', () => {
    const outs = run(['data: {"a":1}\n\ndata: {not json\n\ndata: {"b":2}\n\n']);
    expect(textOf(outs)).toBe('data: {"a":1}\n\n');
    expect(outs.flatMap((o) => o.chunks)).toEqual([{ a: 1 }]);
    expect(failureOf(outs)).toMatchObject({ status: 502, code: 'upstream_invalid_stream', message: expect.stringContaining('not a JSON object') });
  });

  it('fails on data that is JSON but not an object', () => {
    for (const data of ['42', 'null', '"text"', '[1]']) expect(failureOf(run([`data: ${data}\n\n`])), data).not.toBeNull();
  });

  it('fails on text without SSE framing, whole or unterminated', () => {
    for (const body of ['{"choices":[]}\n\n', 'hello world', 'data: {"a":1}\n\nplain text\n\n']) {
      expect(failureOf(run([body]))?.message, body).toContain('no "data:" framing');
    }
  });

  it('fails on a stream that sent no event at all', () => {
    expect(failureOf(run([]))?.message).toContain('without sending any event');
    expect(failureOf(run([': ping\n\n']))?.message).toContain('without sending any event');
  });

  it('closes a last event that lacks its empty line', () => {
    const outs = run(['data: {"a":1}\n\ndata: [DONE]']);
    expect(failureOf(outs)).toBeNull();
    expect(textOf(outs)).toBe('data: {"a":1}\n\ndata: [DONE]\n\n');
  });

  it('relays nothing after [DONE] and lets nothing through after a failure', () => {
    expect(textOf(run(['data: [DONE]\n\n{garbage\n\n']))).toBe('data: [DONE]\n\n');
    const gate = new SseGate();
    expect(gate.push(bytes('data: {x\n\n')).failure).not.toBeNull();
    expect(gate.push(bytes('data: {"a":1}\n\n'))).toEqual({ text: '', chunks: [], failure: null });
  });
});

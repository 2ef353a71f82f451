import { Readable, Transform } from 'node:stream';

/** Bytes of a stream's end kept to find its usage chunk. */
const TAIL_BYTES = 8192;

/**
 * `usage.total_tokens` of an upstream chat or embeddings answer, read without parsing the whole
 * body (the usage object comes last in OpenAI's shape; a full JSON.parse per request showed up in
 * profiles). Works on a JSON body and on the tail of an SSE stream alike.
 */
export function usageTokens(text: string): number | null {
  const at = text.lastIndexOf('"usage"');
  if (at < 0) return null;
  const match = /"total_tokens"\s*:\s*(\d+)/.exec(text.slice(at, at + 400));
  return match ? Number(match[1]) : null;
}

/** usageTokens of a body still in bytes: only the bytes after the last `"usage"` are decoded. */
export function usageTokensOf(bytes: Buffer): number | null {
  const at = bytes.lastIndexOf('"usage"');
  return at < 0 ? null : usageTokens(bytes.subarray(at, at + 400).toString('utf8'));
}

/**
 * On a leased body whose answer was already whole (JSON): hands the bytes over without reading
 * the stream, and ends the lease as reading it to its end would (relayJson takes it: no stream
 * machinery per JSON answer).
 */
export const TAKE_WHOLE = Symbol('take whole body');
export type WholeBody = Readable & { [TAKE_WHOLE]?: () => Buffer };

/**
 * The reply body handed to the proxy, holding the request's lease: when it has been read to its
 * end, `done` gets the tokens the answer reports; when it is destroyed or fails first, `done` gets
 * null. Called exactly once. A JSON answer is already whole (`whole`); a stream passes through,
 * keeping its last few KB (as buffers, decoded once at the end).
 */
export function leasedBody(body: Readable, whole: Buffer | null, done: (tokens: number | null) => void): Readable {
  let settled = false;
  const settle = (tokens: number | null) => {
    if (settled) return;
    settled = true;
    done(tokens);
  };
  if (whole) {
    const out: WholeBody = new Readable({
      read() {
        this.push(whole);
        this.push(null);
      },
      // Destroyed before its end was read (after it, the tokens are settled already): no 'close' listener per answer.
      destroy(error, callback) {
        settle(null);
        callback(error);
      },
    });
    out.once('end', () => settle(usageTokensOf(whole)));
    out[TAKE_WHOLE] = () => {
      settle(usageTokensOf(whole));
      return whole;
    };
    return out;
  }
  const tail: Buffer[] = [];
  let tailBytes = 0;
  const out = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      tail.push(chunk);
      tailBytes += chunk.length;
      while (tail.length > 1 && tailBytes - tail[0]!.length >= TAIL_BYTES) tailBytes -= tail.shift()!.length;
      callback(null, chunk);
    },
  });
  out.once('end', () => settle(usageTokens(Buffer.concat(tail).toString('utf8'))));
  out.once('close', () => {
    settle(null);
    body.destroy();
  });
  body.once('error', (err) => out.destroy(err));
  body.pipe(out);
  return out;
}

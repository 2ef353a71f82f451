import { connect } from 'node:net';

/**
 * A minimal HTTP/1.1 exchange over a raw socket, for tests that must send what no HTTP client
 * library would (bad headers, duplicate or absurd Content-Length, bad bytes): write the bytes,
 * read one response (Content-Length, chunked, or until close), hang up.
 */

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export class RawTimeout extends Error {}

function parseHead(head: string): { status: number; headers: Record<string, string> } {
  const [statusLine = '', ...lines] = head.split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const at = line.indexOf(':');
    if (at > 0) headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
  }
  return { status, headers };
}

function dechunk(raw: Buffer): Buffer | null {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', at);
    if (lineEnd < 0) return null;
    const size = Number.parseInt(raw.subarray(at, lineEnd).toString('latin1'), 16);
    if (Number.isNaN(size)) return null;
    if (size === 0) return raw.indexOf('\r\n', lineEnd + 2) >= 0 ? Buffer.concat(parts) : null;
    if (raw.length < lineEnd + 2 + size + 2) return null;
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

/** Sends `bytes` (in pieces, if given several) and resolves with the first response. Rejects with RawTimeout. */
export function rawExchange(port: number, bytes: Buffer | Buffer[], timeoutMs = 10_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let data = Buffer.alloc(0);
    let done = false;
    const finish = (outcome: RawResponse | Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const timer = setTimeout(() => finish(new RawTimeout(`no complete response within ${timeoutMs} ms (got ${data.length} bytes)`)), timeoutMs);
    const tryParse = (closed: boolean) => {
      const headEnd = data.indexOf('\r\n\r\n');
      if (headEnd < 0) {
        if (closed) finish(new Error(`connection closed without a response (${data.length} bytes: ${JSON.stringify(data.toString('latin1').slice(0, 200))})`));
        return;
      }
      const { status, headers } = parseHead(data.subarray(0, headEnd).toString('latin1'));
      if (status >= 100 && status < 200) {
        // An interim response (100 Continue): the real one follows.
        data = data.subarray(headEnd + 4);
        return tryParse(closed);
      }
      const rest = data.subarray(headEnd + 4);
      let body: Buffer | null = null;
      if (headers['content-length'] !== undefined) {
        const length = Number(headers['content-length']);
        if (rest.length >= length) body = rest.subarray(0, length);
      } else if (headers['transfer-encoding']?.toLowerCase() === 'chunked') {
        body = dechunk(rest);
      } else if (closed) {
        body = rest;
      }
      if (body) finish({ status, headers, body: body.toString('utf8') });
      else if (closed) finish(new Error(`connection closed mid-response (status ${status})`));
    };
    socket.on('data', (piece: Buffer) => {
      data = Buffer.concat([data, piece]);
      tryParse(false);
    });
    socket.on('end', () => tryParse(true));
    socket.on('close', () => tryParse(true));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A server that answers and then resets (e.g. after a parser error) may reset before we read all.
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') tryParse(true);
      else finish(error);
    });
    socket.on('connect', () => {
      for (const piece of Array.isArray(bytes) ? bytes : [bytes]) socket.write(piece);
    });
  });
}

/** A request's bytes: request line, Host, the given header lines (in order, duplicates allowed), body. */
export function requestBytes(options: { method: string; path: string; port: number; headers?: Array<[string, string]>; body?: Buffer | string; contentLength?: 'auto' | 'none' | string; host?: string | null }): Buffer {
  const body = typeof options.body === 'string' ? Buffer.from(options.body, 'utf8') : (options.body ?? Buffer.alloc(0));
  const lines = [`${options.method} ${options.path} HTTP/1.1`];
  if (options.host !== null) lines.push(`Host: ${options.host ?? `127.0.0.1:${options.port}`}`);
  for (const [name, value] of options.headers ?? []) lines.push(`${name}: ${value}`);
  const length = options.contentLength ?? 'auto';
  if (length === 'auto') lines.push(`Content-Length: ${body.length}`);
  else if (length !== 'none') lines.push(`Content-Length: ${length}`);
  lines.push('Connection: close');
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}

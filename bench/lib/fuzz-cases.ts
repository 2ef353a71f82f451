import { gzipSync } from 'node:zlib';
import { mulberry32 } from '../../main/simulator/prng';
import { adminBody, deep, inferenceBody, int, pick, type Rng } from './fuzz-bodies';
import { requestBytes } from './raw-http';

/**
 * The fuzz test's requests, from a seeded generator: malformed bodies for the OpenAI routes,
 * unknown routes, the admin API (with and without its key), and requests with bad headers,
 * framing or bytes that only a raw socket can send. Each should be refused with a 4xx.
 */

export interface FuzzCase {
  id: number;
  name: string;
  bytes: Buffer | Buffer[];
}

export interface Secrets {
  port: number;
  adminKey: string;
}

const json = 'application/json';

function inference(rng: Rng, s: Secrets): Omit<FuzzCase, 'id'> {
  const route = rng() < 0.6 ? 'chat' : 'embeddings';
  const { what, body, contentType } = inferenceBody(route, rng);
  const path = route === 'chat' ? '/v1/chat/completions' : '/v1/embeddings';
  return { name: `POST ${path}: ${what}`, bytes: requestBytes({ method: 'POST', path, port: s.port, headers: contentType === null ? [] : [['Content-Type', contentType]], body }) };
}

function unknownRoute(rng: Rng, s: Secrets): Omit<FuzzCase, 'id'> {
  const method = pick(rng, ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);
  const path = pick(rng, [
    `/v1/fuzz-${int(rng, 0, 1e6)}`,
    `/v2/chat/completions`,
    `/v1/chat/completions/${int(rng, 0, 99)}`,
    `/fuzz/${'a'.repeat(int(rng, 1, 8_000))}`,
    `/v1/chat/completions/../../etc/passwd`,
    `/admin/api/fuzz-${int(rng, 0, 99)}`,
    `/%ff%fe%00`,
    `/v1/%`,
    `/fuzz?${'q=1&'.repeat(int(rng, 1, 1_000))}`,
  ]);
  const body = method === 'GET' || method === 'OPTIONS' ? '' : pick(rng, ['', '{}', '{"model":"x"}', deep(10_000, 'array')]);
  return { name: `${method} ${path.slice(0, 60)} (unknown route)`, bytes: requestBytes({ method, path, port: s.port, headers: body ? [['Content-Type', json]] : [], body }) };
}

function admin(rng: Rng, s: Secrets): Omit<FuzzCase, 'id'> {
  const auth = int(rng, 0, 9);
  if (auth === 0) {
    // Reads with a bad query.
    const query = pick(rng, ['limit=abc', 'limit=0', 'limit=-5', 'limit=1e9', 'limit=5001', 'limit=1.5']);
    return { name: `GET /admin/api/events?${query}`, bytes: requestBytes({ method: 'GET', path: `/admin/api/events?${query}`, port: s.port, headers: [['Authorization', `Bearer ${s.adminKey}`]] }) };
  }
  const { method, path, what, body } = adminBody(rng);
  const headers: Array<[string, string]> = [['Content-Type', json]];
  let keyNote = '';
  if (auth === 1) keyNote = ' without the admin key';
  else if (auth === 2) {
    headers.push(['Authorization', `Bearer ${s.adminKey.slice(0, -1)}x`]);
    keyNote = ' with a wrong admin key';
  } else if (auth === 3) {
    headers.push(['Authorization', `Bearer ${s.adminKey}`], ['Origin', 'http://evil.example']);
    keyNote = ' from a foreign Origin';
  } else headers.push(['Authorization', `Bearer ${s.adminKey}`]);
  return { name: `${method} ${path.slice(0, 50)}: ${what}${keyNote}`, bytes: requestBytes({ method, path, port: s.port, headers, body }) };
}

const CHAT = '/v1/chat/completions';
const VALID = JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] });

/** Requests whose headers, framing or request line are broken. */
function rawHeaders(rng: Rng, s: Secrets): Omit<FuzzCase, 'id'> {
  const port = s.port;
  const host = `127.0.0.1:${port}`;
  const body = Buffer.from(VALID);
  const cases: Array<() => Omit<FuzzCase, 'id'>> = [
    () => ({ name: 'two different Content-Length headers', bytes: requestBytes({ method: 'POST', path: CHAT, port, headers: [['Content-Type', json], ['Content-Length', String(body.length)], ['Content-Length', '5']], body, contentLength: 'none' }) }),
    () => ({ name: 'Content-Length: -1', bytes: requestBytes({ method: 'POST', path: CHAT, port, headers: [['Content-Type', json]], body, contentLength: '-1' }) }),
    () => ({ name: 'Content-Length: abc', bytes: requestBytes({ method: 'POST', path: CHAT, port, headers: [['Content-Type', json]], body, contentLength: 'abc' }) }),
    () => ({ name: 'Content-Length: 10^15 (absurd)', bytes: requestBytes({ method: 'POST', path: CHAT, port, headers: [['Content-Type', json]], body, contentLength: '1000000000000000' }) }),
    () => ({ name: 'Content-Length: 2^70 (overflows)', bytes: requestBytes({ method: 'POST', path: CHAT, port, headers: [['Content-Type', json]], body, contentLength: '1180591620717411303424' }) }),
    () => ({ name: 'Content-Length shorter than the body', bytes: requestBytes({ method: 'POST', path: CHAT, port, headers: [['Content-Type', json]], body, contentLength: String(int(rng, 1, body.length - 2)) }) }),
    () => ({ name: 'Content-Length and Transfer-Encoding both', bytes: requestBytes({ method: 'POST', path: CHAT, port, headers: [['Content-Type', json], ['Transfer-Encoding', 'chunked']], body: `${body.length.toString(16)}\r\n${VALID}\r\n0\r\n\r\n` }) }),
    () => ({ name: 'chunked with a bad chunk size', bytes: requestBytes({ method: 'POST', path: CHAT, port, headers: [['Content-Type', json], ['Transfer-Encoding', 'chunked']], body: `zz\r\n${VALID}\r\n0\r\n\r\n`, contentLength: 'none' }) }),
    () => {
      const gz = gzipSync(body);
      const chunked = Buffer.concat([Buffer.from(`${gz.length.toString(16)}\r\n`), gz, Buffer.from('\r\n0\r\n\r\n')]);
      return { name: 'Transfer-Encoding: gzip, chunked (a coding the server does not decode)', bytes: requestBytes({ method: 'POST', path: CHAT, port, headers: [['Content-Type', json], ['Transfer-Encoding', 'gzip, chunked']], body: chunked, contentLength: 'none' }) };
    },
    () => ({ name: 'Content-Encoding: gzip', bytes: requestBytes({ method: 'POST', path: CHAT, port, headers: [['Content-Type', json], ['Content-Encoding', 'gzip']], body: gzipSync(body) }) }),
    () => ({ name: 'NUL byte in a header value', bytes: requestBytes({ method: 'POST', path: CHAT, port, headers: [['Content-Type', json], ['X-Fuzz', 'a\u0000b']], body }) }),
    () => ({ name: 'a header name with a space', bytes: requestBytes({ method: 'POST', path: CHAT, port, headers: [['Content-Type', json], ['X Fuzz', '1']], body }) }),
    () => ({ name: 'a header line without a colon', bytes: requestBytes({ method: 'POST', path: CHAT, port, headers: [['Content-Type', json], ['NoColonHere\r\nX-After', '1']], body }) }),
    () => ({ name: 'obsolete line folding', bytes: requestBytes({ method: 'POST', path: CHAT, port, headers: [['Content-Type', json], ['X-Folded', 'a\r\n  b']], body }) }),
    () => ({ name: 'no Host header', bytes: requestBytes({ method: 'POST', path: CHAT, port, headers: [['Content-Type', json]], body, host: null }) }),
    () => ({ name: 'two Host headers', bytes: requestBytes({ method: 'POST', path: CHAT, port, host: 'evil.example', headers: [['Host', host], ['Content-Type', json]], body }) }),
    () => ({ name: 'a foreign Host (DNS rebinding)', bytes: requestBytes({ method: 'POST', path: CHAT, port, headers: [['Content-Type', json]], body, host: pick(rng, ['evil.example', 'evil.example:80', '127.0.0.1.evil.example', 'localhost.evil.example', '']) }) }),
    () => ({ name: 'a foreign Origin', bytes: requestBytes({ method: 'POST', path: CHAT, port, headers: [['Content-Type', json], ['Origin', pick(rng, ['http://evil.example', 'null', 'file://', 'http://127.0.0.1.evil.example'])]], body }) }),
    () => ({ name: 'headers over 16 KB', bytes: requestBytes({ method: 'POST', path: CHAT, port, headers: [['Content-Type', json], ['X-Big', 'b'.repeat(int(rng, 17_000, 70_000))]], body }) }),
    () => ({ name: 'a request line over 16 KB', bytes: requestBytes({ method: 'GET', path: `/v1/models?${'x'.repeat(20_000)}`, port }) }),
    () => ({ name: 'HTTP/9.9', bytes: Buffer.from(`POST ${CHAT} HTTP/9.9\r\nHost: ${host}\r\nContent-Type: ${json}\r\nContent-Length: ${body.length}\r\n\r\n${VALID}`) }),
    () => ({ name: 'a method with a space', bytes: Buffer.from(`PO ST ${CHAT} HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 0\r\n\r\n`) }),
    () => ({ name: 'an unknown method', bytes: Buffer.from(`FUZZ ${CHAT} HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 0\r\n\r\n`) }),
    () => ({ name: 'bare LF line endings', bytes: Buffer.from(`POST ${CHAT} HTTP/1.1\nHost: ${host}\nContent-Type: ${json}\nContent-Length: 2\n\n{}`) }),
    () => ({ name: 'raw non-UTF-8 bytes in the path', bytes: Buffer.concat([Buffer.from('GET /v1/'), Buffer.from([0xff, 0xfe, 0x80]), Buffer.from(` HTTP/1.1\r\nHost: ${host}\r\n\r\n`)]) }),
    () => ({ name: 'two Content-Type headers', bytes: requestBytes({ method: 'POST', path: CHAT, port, headers: [['Content-Type', 'text/plain'], ['Content-Type', json]], body }) }),
    () => ({ name: 'two Authorization headers (admin)', bytes: requestBytes({ method: 'PATCH', path: '/admin/api/settings', port, headers: [['Content-Type', json], ['Authorization', 'Bearer nope'], ['Authorization', `Bearer ${s.adminKey}`]], body: '{"port":"x"}' }) }),
    () => ({ name: 'Expect: an unknown expectation', bytes: requestBytes({ method: 'POST', path: CHAT, port, headers: [['Content-Type', json], ['Expect', 'fuzz-continue']], body: '{' }) }),
    () => ({ name: 'a header value of bad UTF-8 bytes', bytes: Buffer.concat([Buffer.from(`POST ${CHAT} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: ${json}\r\nX-Bad: `), Buffer.from([0xff, 0xc0, 0x80]), Buffer.from(`\r\nContent-Length: 1\r\n\r\n{`)]) }),
    () => ({ name: 'headers and body in several writes', bytes: [Buffer.from(`POST ${CHAT} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: ${json}\r\nContent-Le`), Buffer.from(`ngth: 11\r\nConnection: close\r\n\r\n{"model":`), Buffer.from('5}')] }),
  ];
  return pick(rng, cases)();
}

/** `count` cases from `seed`, cycling over the four kinds (bodies are half of them). */
export function fuzzCases(seed: number, count: number, secrets: Secrets): FuzzCase[] {
  const rng = mulberry32(seed);
  const kinds = [inference, inference, inference, inference, rawHeaders, rawHeaders, admin, admin, unknownRoute, unknownRoute];
  return Array.from({ length: count }, (_, id) => ({ id, ...(kinds[id % kinds.length] as typeof inference)(rng, secrets) }));
}

import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { Transform } from 'node:stream';
import cors from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ADMIN_KEY_HEADER, ADMIN_PREFIX } from '../../../shared/admin-routes';
import type { Settings } from '../../../shared/settings';
import { z } from 'zod';
import { ProxyError } from '../errors';

/**
 * The local guards, as Fastify onRequest hooks that run before every route (and before 404s):
 *
 * 1. Host (DNS rebinding): a request whose `Host` header is not a name of this machine's loopback
 *    (`localhost`, `127.0.0.1` or any 127.x address, `[::1]`, any port) nor the configured host is
 *    refused with 403 `host_not_allowed`. When the server listens on every interface (0.0.0.0 / ::),
 *    IP literals and this machine's host name are accepted too (an IP literal cannot be re-bound).
 * 2. Origin (CORS): a browser request carrying an `Origin` that is neither this server itself
 *    (same origin, as the dashboard is) nor in `settings().allowedOrigins` is refused with 403
 *    `origin_not_allowed`. Allowed origins get CORS headers, preflight included. The admin API
 *    answers same-origin pages only.
 * 3. Client key: when `settings().apiKey` is set (SWITCHYARD_API_KEY or the setting), `/v1/*`
 *    requires `Authorization: Bearer <key>` or `x-api-key: <key>` (Anthropic's SDKs and Claude Code
 *    send ANTHROPIC_API_KEY that way), compared in constant time; otherwise 401 `invalid_api_key`. `/health`, `/metrics`
 *    and the dashboard stay open (the admin API has its own key). Without a client key, `/v1/*`
 *    answers this machine only (403 `client_key_required` to other addresses) unless
 *    `insecureNoClientKey` (SWITCHYARD_INSECURE_NO_CLIENT_KEY) says otherwise.
 * 4. Client identity (`clientIdOf`): the hash of a verified client key, else the address; what the
 *    inbound rate limit and accounting key on.
 * 5. Admin key (`checkAdmin`, called by the admin routes): loopback only, with this data folder's key.
 *
 * And what a body may be (`installBodyParsers`, `parseBody`, below): JSON only, within the size and
 * depth limits, and what the route's schema accepts; anything else is a 4xx that says why.
 */
export async function installGuards(app: FastifyInstance, settings: () => Settings, options: { insecureNoClientKey?: boolean } = {}): Promise<void> {
  app.decorateRequest('verifiedClientKeyId', null);
  // Callback style (no promise per request); a throw is the hook's error, as from an async hook.
  app.addHook('onRequest', (request, reply, done) => {
    checkHost(request, settings().host);
    checkOrigin(request, settings().allowedOrigins);
    if (isClientApiRequest(request) && request.method !== 'OPTIONS') {
      const apiKey = settings().apiKey;
      if (!apiKey && !options.insecureNoClientKey && !isLoopbackAddress(request.socket.remoteAddress)) throw remoteWithoutKeyRefusal();
      const refusal = apiKey ? clientKeyRefusal(request, apiKey) : null;
      if (refusal) {
        reply.header('www-authenticate', 'Bearer realm="switchyard"');
        throw refusal;
      }
      if (apiKey) markVerifiedClientKey(request, apiKey);
    }
    done();
  });
  await app.register(cors, {
    origin: (origin, done) => done(null, origin !== undefined && isAllowedOrigin(origin, settings().allowedOrigins) ? origin : false),
    methods: ['GET', 'HEAD', 'POST'],
    maxAge: 600,
    exposedHeaders: EXPOSED_HEADERS,
  });
}

/** Response headers a browser page allowed by CORS may read (the SDKs' retry hints and Switchyard's own). */
export const EXPOSED_HEADERS = [
  'x-switchyard-account',
  'x-switchyard-provider',
  'x-switchyard-route-target',
  'x-switchyard-overhead-ms',
  'x-switchyard-attempts',
  'x-request-id',
  'retry-after',
  'retry-after-ms',
  'x-should-retry',
];

const isClientApiPath = (path: string) => path === '/v1' || path.startsWith('/v1/');
const isAdminPath = (path: string) => path === ADMIN_PREFIX || path.startsWith(`${ADMIN_PREFIX}/`);

/** Whether any of requestPaths is the client API; a raw path under /v1/ is at once (the common case, without decoding). */
function isClientApiRequest(request: FastifyRequest): boolean {
  return request.url.startsWith('/v1/') || requestPaths(request).some(isClientApiPath);
}

/**
 * The paths a guard judges: the route the router matched (its pattern) and the request's path
 * percent-decoded, so `/%761/chat/completions` or `/%61dmin/api/…` is judged as the route it reaches.
 */
export function requestPaths(request: FastifyRequest): string[] {
  const raw = request.url.split('?')[0] ?? '';
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // Malformed escapes: the router answers 400/404 for these; judge the raw path.
  }
  const matched = request.routeOptions.url;
  return matched ? [matched, decoded, raw] : [decoded, raw];
}

/** `localhost:4000` → `localhost`, `[::1]:4000` → `::1`; lower case, no trailing dot. */
export function hostName(header: string): string {
  let name = header.trim().toLowerCase();
  if (name.startsWith('[')) name = name.slice(1, name.indexOf(']') > 0 ? name.indexOf(']') : undefined);
  else if (name.split(':').length === 2) name = name.slice(0, name.indexOf(':'));
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

export function isLoopbackName(name: string): boolean {
  return name === 'localhost' || name === '::1' || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

const WILDCARDS = new Set(['0.0.0.0', '::', '', '*']);

/** Whether a `Host` header names this server (see the rules on installGuards). */
export function isAllowedHost(header: string, configuredHost: string, machineName?: string): boolean {
  const name = hostName(header);
  if (isLoopbackName(name)) return true;
  const configured = hostName(configuredHost.includes(':') && !configuredHost.startsWith('[') ? `[${configuredHost}]` : configuredHost);
  if (WILDCARDS.has(configured)) {
    // Asked only here: os.hostname() is a system call, and every request passes this check.
    const machine = (machineName ?? hostname()).toLowerCase();
    return isIP(name) !== 0 || name === machine || name === `${machine}.local`;
  }
  return name === configured;
}

/** The last Host header found to be a loopback name (allowed whatever the settings say): most requests repeat it. */
let loopbackHost: string | null = null;

function checkHost(request: FastifyRequest, configuredHost: string): void {
  const header = request.headers.host;
  if (header === undefined) {
    if (request.raw.httpVersion === '1.0') return;
    throw new ProxyError(400, 'invalid_request_error', 'The request has no Host header; HTTP/1.1 requires one (e.g. "Host: 127.0.0.1:4000").', { code: 'missing_host' });
  }
  if (header === loopbackHost) return;
  if (isLoopbackName(hostName(header))) {
    loopbackHost = header;
    return;
  }
  if (isAllowedHost(header, configuredHost)) return;
  const names = ['localhost', '127.0.0.1', '[::1]', ...(WILDCARDS.has(configuredHost) || isLoopbackName(configuredHost) ? [] : [configuredHost])].join(', ');
  throw new ProxyError(
    403,
    'permission_error',
    `Refused: the Host header "${header.slice(0, 100)}" is not a name of this Switchyard (it answers to ${names}; this guards against DNS rebinding). Call it as http://127.0.0.1:<port>, or start it with HOST set to the name your clients use.`,
    { code: 'host_not_allowed' },
  );
}

/** The origin of an allowed-origins entry; null for entries without one (`file:`, `data:` URLs have the opaque origin "null"). */
function originOf(url: string): string | null {
  try {
    const origin = new URL(url).origin.toLowerCase();
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/** `Origin: null` (sandboxed iframes, file: pages, redirects) is never admitted: any site can send it. */
export function isAllowedOrigin(origin: string, allowed: readonly string[]): boolean {
  const wanted = origin.trim().toLowerCase();
  if (wanted === 'null' || wanted === '') return false;
  return allowed.some((entry) => originOf(entry) === wanted);
}

function isSameOrigin(origin: string, hostHeader: string | undefined): boolean {
  if (!hostHeader) return false;
  const given = origin.toLowerCase();
  const host = hostHeader.toLowerCase();
  return given === `http://${host}` || given === `https://${host}`;
}

function checkOrigin(request: FastifyRequest, allowed: readonly string[]): void {
  const origin = request.headers.origin;
  if (origin === undefined || isSameOrigin(origin, request.headers.host)) return;
  if (requestPaths(request).some(isAdminPath)) {
    throw new ProxyError(403, 'permission_error', `Refused: the admin API answers only the dashboard served by this Switchyard itself, not pages from ${origin.slice(0, 100)}. Open the dashboard at http://127.0.0.1:<port>/ instead.`, { code: 'origin_not_allowed' });
  }
  if (isAllowedOrigin(origin, allowed)) return;
  throw new ProxyError(
    403,
    'permission_error',
    `Refused: browser requests from ${origin.slice(0, 100)} are not allowed. To let that page call this proxy, add "${origin.slice(0, 100)}" to Allowed origins in Settings (setting allowedOrigins).`,
    { code: 'origin_not_allowed' },
  );
}

/** The client keys a request presents: its bearer token and its `x-api-key` header (as Anthropic's clients send it). */
function presentedKeys(request: FastifyRequest): string[] {
  const header = request.headers['x-api-key'];
  const xApiKey = typeof header === 'string' ? header.trim() : '';
  return [bearerToken(request) ?? '', xApiKey].filter((key) => key !== '');
}

function clientKeyRefusal(request: FastifyRequest, apiKey: string): ProxyError | null {
  const given = presentedKeys(request);
  if (given.length === 0) {
    return new ProxyError(
      401,
      'invalid_request_error',
      'This Switchyard requires an API key: send "Authorization: Bearer <key>" or "x-api-key: <key>" (in an OpenAI SDK, set apiKey or OPENAI_API_KEY to the value of SWITCHYARD_API_KEY, or to the key shown in the dashboard under Settings; for Claude Code, set ANTHROPIC_API_KEY to it).',
      { code: 'invalid_api_key' },
    );
  }
  // Every presented key is compared (in constant time), so which one matched does not show in the timing.
  const matches = given.map((key) => safeEqual(key, apiKey));
  if (!matches.includes(true)) {
    return new ProxyError(401, 'invalid_request_error', 'The API key is wrong. Use the value of SWITCHYARD_API_KEY, or the key shown in the dashboard under Settings (generate a new one there if it was lost).', { code: 'invalid_api_key' });
  }
  return null;
}

function remoteWithoutKeyRefusal(): ProxyError {
  return new ProxyError(
    403,
    'permission_error',
    'This Switchyard has no client key, so it answers only this machine. To serve other machines, set SWITCHYARD_API_KEY (or generate a key in Settings) and send it as "Authorization: Bearer <key>"; or start it with --insecure-no-client-key (SWITCHYARD_INSECURE_NO_CLIENT_KEY=1) to let anyone on the network in.',
    { code: 'client_key_required' },
  );
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the client-key guard once the bearer was checked against the configured client key. */
    verifiedClientKeyId: string | null;
  }
}

/** The identity of a client key: the sha256 of the whole key (never the key, never a part of it). */
export function clientKeyId(key: string): string {
  return `key:${createHash('sha256').update(key).digest('hex')}`;
}

/** Called by the guard when the request's bearer equals the configured client key. */
export function markVerifiedClientKey(request: FastifyRequest, key: string): void {
  request.verifiedClientKeyId = clientKeyId(key);
}

/**
 * Per-client identity for inbound limits and accounting: the hash of the client key when the
 * guard verified it, else the client's address. An unchecked bearer is never an identity (a random
 * bearer per request would otherwise get a fresh bucket each time).
 */
export function clientIdOf(request: FastifyRequest): string {
  return request.verifiedClientKeyId ?? `ip:${request.ip}`;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export function isLoopbackAddress(address: string | undefined): boolean {
  return address !== undefined && (LOOPBACK.has(address) || address.startsWith('127.') || address.startsWith('::ffff:127.'));
}

/** Constant-time comparison of a presented key with the real one. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The credentials of `Authorization: Bearer <token>` (scheme case-insensitive), else undefined. */
export function bearerToken(request: FastifyRequest): string | undefined {
  return request.headers.authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim() || undefined;
}

/** The admin API is loopback only and always requires this data folder's admin key. */
export function checkAdmin(request: FastifyRequest, adminKey: string, allowQueryKey: boolean): void {
  if (!isLoopbackAddress(request.socket.remoteAddress)) {
    throw new ProxyError(403, 'permission_error', 'The admin API answers only on this machine (loopback). Use the CLI or dashboard on the server itself, or an SSH tunnel.', { code: 'admin_loopback_only' });
  }
  const bearer = bearerToken(request);
  const custom = request.headers[ADMIN_KEY_HEADER];
  const query = allowQueryKey ? (request.query as Record<string, unknown> | undefined)?.key : undefined;
  const given = [bearer, typeof custom === 'string' ? custom : undefined, typeof query === 'string' ? query : undefined].find((v) => v);
  if (!given) {
    throw new ProxyError(401, 'authentication_error', 'The admin API needs the admin key: send "Authorization: Bearer <key>". The key is in the file admin.key in the data folder, and in the dashboard URL that `switchyard serve` prints.', { code: 'admin_key_required' });
  }
  if (!safeEqual(given, adminKey)) {
    throw new ProxyError(401, 'authentication_error', 'The admin key is wrong. Read it from admin.key in the data folder (SWITCHYARD_DATA_DIR).', { code: 'admin_key_invalid' });
  }
}

/** Deeper JSON is refused before any work (no real request nests this deep; recursion on it overflows the stack). */
export const MAX_JSON_DEPTH = 64;

/** Whether `text` (JSON) nests objects/arrays deeper than `max`. One pass, no recursion, strings skipped. */
export function jsonDepthExceeds(text: string, max: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i += 1; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      depth += 1;
      if (depth > max) return true;
    } else if (c === 125 || c === 93) depth -= 1;
  }
  return false;
}

const mib = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

function tooLarge(limit: number): ProxyError {
  return new ProxyError(413, 'invalid_request_error', `The request body is larger than this proxy accepts (at most ${mib(limit)}, ${limit} bytes). Send a smaller request.`, { code: 'request_too_large' });
}

function sentAs(request: FastifyRequest): string {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().slice(0, 100);
  return type ? `as "${type}"` : 'without a Content-Type';
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The JSON body's text as the client sent it (null until parsed, or for bodies of other types). */
    rawJsonBody: string | null;
  }
}

/**
 * How request bodies are read: JSON only (any other Content-Type is a 415 that names it), at most
 * `bodyLimit` bytes (a 413 that states the limit), at most MAX_JSON_DEPTH levels deep (a 400).
 */
export function installBodyParsers(app: FastifyInstance, bodyLimit: number): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.decorateRequest('rawJsonBody', null);
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (request, body, done) => {
    if (jsonDepthExceeds(body as string)) {
      done(new ProxyError(400, 'invalid_request_error', `The JSON body nests more than ${MAX_JSON_DEPTH} levels deep; Switchyard refuses such bodies. Flatten the request.`, { code: 'json_too_deep' }), undefined);
      return;
    }
    request.rawJsonBody = body as string;
    parseJson(request, body as string, done);
  });
  app.addContentTypeParser('*', (request, _payload, done) => {
    done(
      new ProxyError(415, 'invalid_request_error', `The body was sent ${sentAs(request)}; Switchyard reads JSON only: send it with "Content-Type: application/json".`, { code: 'unsupported_media_type' }),
      undefined,
    );
  });
  app.addHook('preParsing', async (request, _reply, payload) => {
    const declared = request.headers['content-length'];
    if (declared !== undefined) {
      if (Number(declared) > bodyLimit) throw tooLarge(bodyLimit);
      return payload;
    }
    // Chunked: count as it arrives, and say the limit when it is passed.
    let received = 0;
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, next) {
        received += chunk.length;
        next(received > bodyLimit ? tooLarge(bodyLimit) : null, chunk);
      },
    });
    payload.on('error', (error) => counted.destroy(error));
    return payload.pipe(counted);
  });
}

/** The model a client names: the field every dialect's schema shares. */
export const modelField = z
  .string({ error: 'model must be a string, e.g. "gpt-4o-mini" or "openai/gpt-4o-mini".' })
  .trim()
  .min(1, 'model must not be empty.')
  .max(200, 'model ids are at most 200 characters.');

/** Parses a body or throws a 400 in OpenAI's shape naming the offending parameter. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ProxyError(400, 'invalid_request_error', 'The request body must be a JSON object.', { code: 'invalid_body' });
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = issue?.path.length ? issue.path.join('.') : null;
  const missing = (issue?.code === 'invalid_type' || issue?.code === 'invalid_union') && valueAt(body, issue.path) === undefined;
  const message = missing ? `Missing required parameter: '${param}'.` : `Invalid value for '${param ?? 'body'}': ${issue?.message ?? 'invalid'}`;
  throw new ProxyError(400, 'invalid_request_error', message, { code: missing ? 'missing_required_parameter' : 'invalid_value', param });
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let value: unknown = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

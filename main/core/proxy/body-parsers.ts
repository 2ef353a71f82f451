import { Transform } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ProxyError } from '../errors';

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

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ProxyError } from '../errors';
import { ERROR_SHAPES, openaiErrors } from './dialects/error-shapes';
import type { ErrorShape, ErrorShapeName } from './dialects/types';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The error shape of the route's dialect (default: OpenAI's). */
    errorShape?: ErrorShapeName;
  }
}

/** openai-python/-node and Anthropic's SDK wait at most this long for a Retry-After; beyond it they are told not to retry. */
export const CLIENT_RETRY_LIMIT_SECONDS = 120;

/** The error shape of the route a request matched (OpenAI's for unknown routes). */
export function errorShapeOf(request: FastifyRequest): ErrorShape {
  const name = request.routeOptions?.config?.errorShape;
  return name ? ERROR_SHAPES[name] : openaiErrors;
}

/**
 * Renders any error in the dialect's shape (OpenAI's by default). Every 429 carries Retry-After
 * (whole seconds) and retry-after-ms, and `x-should-retry: false` when the earliest reset is further
 * away than a client would wait.
 */
export function sendProxyError(reply: FastifyReply, error: ProxyError, shape: ErrorShape = openaiErrors): FastifyReply {
  const seconds = error.retryAfterSeconds !== null ? Math.max(0, Math.ceil(error.retryAfterSeconds)) : error.status === 429 ? 1 : null;
  if (seconds !== null) {
    reply.header('retry-after', String(seconds));
    reply.header('retry-after-ms', String(seconds * 1000));
    if (error.status === 429 && seconds > CLIENT_RETRY_LIMIT_SECONDS) reply.header('x-should-retry', 'false');
  }
  return reply.code(error.status).type('application/json; charset=utf-8').send(shape.body(error));
}

export function toProxyError(error: unknown): ProxyError {
  if (error instanceof ProxyError) return error;
  const err = error as FastifyError & { statusCode?: number };
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ProxyError(400, 'invalid_request_error', `We could not parse the JSON body of your request. (${err.message})`, { code: 'invalid_json' });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ProxyError(413, 'invalid_request_error', 'The request body is larger than this proxy accepts.', { code: 'request_too_large' });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ProxyError(415, 'invalid_request_error', 'Send the request body as JSON with "Content-Type: application/json".', { code: 'unsupported_media_type' });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ProxyError(400, 'invalid_request_error', 'The Content-Length header does not match the body.', { code: 'invalid_content_length' });
    default:
      break;
  }
  const status = err.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const type = status === 401 ? 'authentication_error' : status === 403 ? 'permission_error' : status === 404 ? 'not_found_error' : status === 429 ? 'rate_limit_error' : 'invalid_request_error';
    return new ProxyError(status, type, err.message || 'Bad request.', { code: err.code ?? null });
  }
  return new ProxyError(500, 'server_error', 'Switchyard hit an internal error; the details are in its log.', { code: 'internal_error' });
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const proxyError = toProxyError(error);
    // An expected refusal (a ProxyError: no accounts, upstream down, …) is a warning without a stack; only the unforeseen is an internal error.
    if (error instanceof ProxyError) {
      if (error.status >= 500) request.log.warn({ tag: 'refusal', status: error.status, code: error.code }, error.message);
    } else if (proxyError.status >= 500) request.log.error({ err: error }, 'internal error');
    return sendProxyError(reply, proxyError, errorShapeOf(request));
  });
  app.setNotFoundHandler((request, reply) =>
    sendProxyError(
      reply,
      new ProxyError(404, 'not_found_error', `There is no route ${request.method} ${request.url.split('?')[0]}. Switchyard serves POST /v1/chat/completions, POST /v1/embeddings, POST /v1/responses, POST /v1/messages (and /v1/messages/count_tokens), GET /v1/models, GET /v1/tokens/stats, GET /health and GET /metrics.`, {
        code: 'unknown_route',
      }),
    ),
  );
}

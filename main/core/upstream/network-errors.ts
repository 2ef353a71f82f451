import { UpstreamNetworkError, type NetworkFailure } from './types';

const CODE_TO_FAILURE: Record<string, NetworkFailure> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect_timeout',
  ETIMEDOUT: 'connect_timeout',
  UND_ERR_HEADERS_TIMEOUT: 'first_byte_timeout',
  UND_ERR_BODY_TIMEOUT: 'idle_timeout',
  UND_ERR_SOCKET: 'connection_reset',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'connection_reset',
  ECONNRESET: 'connection_reset',
  EPIPE: 'connection_reset',
  ECONNABORTED: 'connection_reset',
  ECONNREFUSED: 'connection_refused',
  ENOTFOUND: 'dns_failure',
  EAI_AGAIN: 'dns_failure',
  UND_ERR_ABORTED: 'aborted',
  /** Our own client was closed under the request. */
  UND_ERR_DESTROYED: 'aborted',
  UND_ERR_CLOSED: 'aborted',
  ABORT_ERR: 'aborted',
};

const DESCRIPTIONS: Record<NetworkFailure, string> = {
  connect_timeout: 'timed out connecting',
  first_byte_timeout: 'timed out waiting for response headers',
  idle_timeout: 'timed out waiting for the next part of the response body',
  connection_reset: 'connection closed by the other side',
  connection_refused: 'connection refused',
  dns_failure: 'could not look up the host',
  aborted: 'request aborted',
  other: 'network error',
};

/** Error codes found on the error, its causes and (for AggregateError) its members. */
function codesOf(err: unknown, depth = 0): string[] {
  if (depth > 4 || typeof err !== 'object' || err === null) return [];
  const found: string[] = [];
  const { code, name, cause, errors } = err as { code?: unknown; name?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string') found.push(code);
  if (name === 'AbortError' || name === 'TimeoutError') found.push(name === 'AbortError' ? 'ABORT_ERR' : 'ETIMEDOUT');
  found.push(...codesOf(cause, depth + 1));
  if (Array.isArray(errors)) for (const member of errors) found.push(...codesOf(member, depth + 1));
  return found;
}

/** Classifies any error thrown while talking to upstream (connect, wait, or body read). */
export function classifyNetworkError(err: unknown, signal?: AbortSignal): NetworkFailure {
  if (err instanceof UpstreamNetworkError) return err.failure;
  if (signal?.aborted) return 'aborted';
  for (const code of codesOf(err)) {
    const failure = CODE_TO_FAILURE[code];
    if (failure) return failure;
  }
  return 'other';
}

/**
 * Turns an undici / socket error into an UpstreamNetworkError with a precise `failure`.
 * Idempotent. The message names the host and the failure, never request headers (the token).
 */
export function mapNetworkError(err: unknown, signal?: AbortSignal, host?: string, provider = 'GitHub Models'): UpstreamNetworkError {
  if (err instanceof UpstreamNetworkError) return err;
  const failure = classifyNetworkError(err, signal);
  const code = codesOf(err)[0];
  const detail = failure === 'other' && code ? ` (${code})` : '';
  const where = host ? ` (${host})` : '';
  return new UpstreamNetworkError(failure, `${provider} upstream: ${DESCRIPTIONS[failure]}${where}${detail}`, { cause: err });
}

/** Failures of a request that never reached the provider: it used no quota there. */
export const neverReached = (failure: NetworkFailure): boolean => failure === 'connect_timeout' || failure === 'connection_refused' || failure === 'dns_failure';

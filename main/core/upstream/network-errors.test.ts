import { describe, expect, it } from 'vitest';
import { errors } from 'undici';
import { classifyNetworkError, mapNetworkError, neverReached } from './network-errors';
import { UpstreamNetworkError } from './types';

const withCode = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code });

describe('mapNetworkError', () => {
  it('classifies undici errors', () => {
    expect(classifyNetworkError(new errors.ConnectTimeoutError())).toBe('connect_timeout');
    expect(classifyNetworkError(new errors.HeadersTimeoutError())).toBe('first_byte_timeout');
    expect(classifyNetworkError(new errors.BodyTimeoutError())).toBe('idle_timeout');
    expect(classifyNetworkError(new errors.SocketError('other side closed'))).toBe('connection_reset');
    expect(classifyNetworkError(new errors.RequestAbortedError())).toBe('aborted');
    expect(classifyNetworkError(new errors.HTTPParserError('bad'))).toBe('other');
  });

  it('classifies socket errors, causes and AggregateErrors', () => {
    expect(classifyNetworkError(withCode('ECONNRESET'))).toBe('connection_reset');
    expect(classifyNetworkError(withCode('ECONNREFUSED'))).toBe('connection_refused');
    expect(classifyNetworkError(new Error('fetch failed', { cause: withCode('ECONNREFUSED') }))).toBe('connection_refused');
    expect(classifyNetworkError(new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')]))).toBe('connection_refused');
    expect(classifyNetworkError(new DOMException('This operation was aborted', 'AbortError'))).toBe('aborted');
    expect(classifyNetworkError('weird')).toBe('other');
  });

  it('calls anything aborted once the signal has aborted, whatever the reason', () => {
    const controller = new AbortController();
    controller.abort(new Error('client hung up'));
    expect(classifyNetworkError(controller.signal.reason, controller.signal)).toBe('aborted');
  });

  it('is idempotent and keeps the cause; the message names host and failure only', () => {
    const cause = withCode('ECONNRESET');
    const mapped = mapNetworkError(cause, undefined, 'models.github.ai');
    expect(mapped).toBeInstanceOf(UpstreamNetworkError);
    expect(mapped.failure).toBe('connection_reset');
    expect(mapped.cause).toBe(cause);
    expect(mapped.message).toBe('GitHub Models upstream: connection closed by the other side (models.github.ai)');
    expect(mapNetworkError(mapped)).toBe(mapped);
    expect(mapNetworkError(withCode('EHOSTUNREACH')).message).toContain('(EHOSTUNREACH)');
  });

  it('says a failed host lookup as such, names the provider tried, and knows which failures never reached it (issue 15 item 19)', () => {
    const mapped = mapNetworkError(new Error('fetch failed', { cause: withCode('ENOTFOUND') }), undefined, 'api.groq.com', 'Groq');
    expect(mapped.failure).toBe('dns_failure');
    expect(mapped.message).toBe('Groq upstream: could not look up the host (api.groq.com)');
    expect(classifyNetworkError(withCode('EAI_AGAIN'))).toBe('dns_failure');
    expect(['dns_failure', 'connection_refused', 'connect_timeout'].every((f) => neverReached(f as never))).toBe(true);
    expect(['connection_reset', 'first_byte_timeout', 'idle_timeout', 'other'].some((f) => neverReached(f as never))).toBe(false);
  });
});

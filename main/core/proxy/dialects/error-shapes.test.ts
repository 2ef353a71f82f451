import { describe, expect, it } from 'vitest';
import { ProxyError } from '../../errors';
import { anthropicErrors, anthropicErrorType, openaiErrors } from './error-shapes';

describe('error shapes', () => {
  it("maps statuses to Anthropic's error types", () => {
    const cases: Array<[number, string]> = [
      [400, 'invalid_request_error'],
      [401, 'authentication_error'],
      [403, 'permission_error'],
      [404, 'not_found_error'],
      [413, 'request_too_large'],
      [415, 'invalid_request_error'],
      [429, 'rate_limit_error'],
      [500, 'api_error'],
      [502, 'api_error'],
      [503, 'overloaded_error'],
      [529, 'overloaded_error'],
    ];
    for (const [status, type] of cases) expect([status, anthropicErrorType(status)]).toEqual([status, type]);
  });

  it("renders Anthropic's body and stream event, and OpenAI's", () => {
    const error = new ProxyError(429, 'rate_limit_error', 'Slow down.', { code: 'x', retryAfterSeconds: 5 });
    expect(anthropicErrors.body(error)).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: 'Slow down.' } });
    expect(anthropicErrors.streamEvent(error)).toBe('event: error\ndata: {"type":"error","error":{"type":"rate_limit_error","message":"Slow down."}}\n\n');
    expect(openaiErrors.body(error)).toEqual({ error: { message: 'Slow down.', type: 'rate_limit_error', code: 'x', param: null } });
    expect(openaiErrors.streamEvent(error)).toBe('data: {"error":{"message":"Slow down.","type":"rate_limit_error","code":"x","param":null}}\n\n');
  });
});

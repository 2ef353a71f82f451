import { describe, expect, it } from 'vitest';
import { scrubTokens } from '../mask';
import { readErrorInfo } from './error-info';

describe('readErrorInfo', () => {
  it('reads GitHub Models JSON errors', () => {
    const body = '{"error":{"code":"unauthorized","message":"Bad credentials","details":"Bad credentials"}}';
    expect(readErrorInfo(401, { 'content-type': 'application/json' }, body)).toEqual({ status: 401, code: 'unauthorized', message: 'Bad credentials' });
  });

  it('reads JSON sent as text/plain (404 unknown_model)', () => {
    const body = '{"error":{"code":"unknown_model","message":"Unknown model: /Phi-3.5-MoE-instruct","details":"Unknown model: /Phi-3.5-MoE-instruct"}}';
    expect(readErrorInfo(404, { 'content-type': 'text/plain; charset=utf-8' }, `${body}\n`)).toEqual({
      status: 404,
      code: 'unknown_model',
      message: 'Unknown model: /Phi-3.5-MoE-instruct',
    });
  });

  it('reads the 413 and 400 variants', () => {
    expect(readErrorInfo(413, {}, '{"error":{"code":"tokens_limit_reached","message":"Request body too large for gpt-5 model. Max size: 4000 tokens."}}')).toEqual({
      status: 413,
      code: 'tokens_limit_reached',
      message: 'Request body too large for gpt-5 model. Max size: 4000 tokens.',
    });
    expect(readErrorInfo(400, {}, '{"error":{"code":"unavailable_model","message":"Unavailable model: gpt-5"}}').code).toBe('unavailable_model');
  });

  it('reads an Azure content-filter error with innererror', () => {
    const body = JSON.stringify({
      error: {
        message: "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
        type: null,
        param: 'prompt',
        code: 'content_filter',
        status: 400,
        innererror: { code: 'ResponsibleAIPolicyViolation', content_filter_result: { hate: { filtered: true, severity: 'high' } } },
      },
    });
    expect(readErrorInfo(400, {}, body)).toEqual({
      status: 400,
      code: 'content_filter',
      message: "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
    });
    const innerOnly = '{"error":{"message":"filtered","innererror":{"code":"ResponsibleAIPolicyViolation"}}}';
    expect(readErrorInfo(400, {}, innerOnly).code).toBe('ResponsibleAIPolicyViolation');
  });

  it('uses details when message is missing, and GitHub REST {message}', () => {
    expect(readErrorInfo(429, {}, '{"error":{"code":"RateLimitReached","details":"Rate limit of 15 per 60s exceeded"}}').message).toBe(
      'Rate limit of 15 per 60s exceeded',
    );
    expect(readErrorInfo(403, {}, '{"message":"The `models` permission is required to access this endpoint"}')).toEqual({
      status: 403,
      code: null,
      message: 'The `models` permission is required to access this endpoint',
    });
    expect(readErrorInfo(500, {}, '{"error":"boom","code":7}')).toEqual({ status: 500, code: '7', message: 'boom' });
  });

  it('reads bare text and takes the code from x-ms-error-code when the body has none', () => {
    expect(readErrorInfo(403, {}, '403 Forbidden')).toEqual({ status: 403, code: null, message: '403 Forbidden' });
    expect(readErrorInfo(403, {}, 'Forbidden')).toEqual({ status: 403, code: null, message: 'Forbidden' });
    expect(readErrorInfo(429, { 'x-ms-error-code': 'RateLimitReached' }, 'slow down')).toEqual({ status: 429, code: 'RateLimitReached', message: 'slow down' });
  });

  it('reads an HTML 5xx page by its title', () => {
    const html = '<!DOCTYPE html>\n<html><head><title>503 Service Temporarily Unavailable</title><style>body{}</style></head><body><h1>Oops</h1></body></html>';
    expect(readErrorInfo(503, { 'content-type': 'text/html' }, html)).toEqual({ status: 503, code: null, message: '503 Service Temporarily Unavailable' });
    expect(readErrorInfo(502, {}, '<html><body><h1>Bad &amp; gateway</h1></body></html>').message).toBe('Bad & gateway');
  });

  it('falls back to the status text for empty bodies and JSON without a message', () => {
    expect(readErrorInfo(502, {}, '')).toEqual({ status: 502, code: null, message: '502 Bad Gateway' });
    expect(readErrorInfo(500, {}, '   \n')).toEqual({ status: 500, code: null, message: '500 Internal Server Error' });
    expect(readErrorInfo(500, {}, '{"error":{"code":"oops"}}')).toEqual({ status: 500, code: 'oops', message: '500 Internal Server Error' });
    expect(readErrorInfo(599, {}, '[]')).toEqual({ status: 599, code: null, message: '599 Unknown status' });
  });

  it('keeps broken JSON as text, collapses whitespace and truncates long bodies', () => {
    expect(readErrorInfo(500, {}, '{"error": tru').message).toBe('{"error": tru');
    expect(readErrorInfo(500, {}, 'line one\n\n  line two').message).toBe('line one line two');
    const long = readErrorInfo(500, {}, 'x'.repeat(5000)).message;
    expect(long).toHaveLength(500);
    expect(long.endsWith('…')).toBe(true);
  });

  it('never repeats a token that upstream echoed', () => {
    const info = readErrorInfo(401, {}, '{"error":{"message":"Bad token gho_abcdefghijklmnopqrstuvwxyz0123456789"}}');
    expect(info.message).toBe('Bad token gho_…89');
    expect(scrubTokens('github_pat_11ABCDEFG0123456789_abcdefghij')).toBe('gith…ij');
  });
});

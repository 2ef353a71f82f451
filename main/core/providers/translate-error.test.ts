import { describe, expect, it } from 'vitest';
import { translateError } from './translate-error';

describe('translateError: every dialect into an OpenAI-shaped error', () => {
  it.each([
    {
      name: 'OpenAI shape (Groq tool_use_failed)',
      status: 400,
      body: '{"error":{"message":"Failed to call a function. Please adjust your prompt.","type":"invalid_request_error","code":"tool_use_failed","failed_generation":"<function=x>"}}',
      expected: { type: 'invalid_request_error', code: 'tool_use_failed', message: 'Failed to call a function. Please adjust your prompt.', param: null },
    },
    {
      name: 'Hugging Face: error is a string',
      status: 402,
      body: '{"error":"You have exceeded your monthly included credits for Inference Providers. Subscribe to PRO to get 20x more monthly included credits."}',
      expected: { type: 'invalid_request_error', code: null, message: 'You have exceeded your monthly included credits for Inference Providers. Subscribe to PRO to get 20x more monthly included credits.', param: null },
    },
    {
      name: 'Cloudflare envelope',
      status: 429,
      body: '{"errors":[{"code":4006,"message":"you have used up your daily free allocation of 10,000 neurons"}],"success":false}',
      expected: { type: 'rate_limit_error', code: '4006', message: 'you have used up your daily free allocation of 10,000 neurons', param: null },
    },
    {
      name: 'NVIDIA problem+json with only detail',
      status: 400,
      body: `{"detail":"Function id '9a1f': DEGRADED function cannot be invoked"}`,
      expected: { type: 'invalid_request_error', code: null, message: "Function id '9a1f': DEGRADED function cannot be invoked", param: null },
    },
    {
      name: 'Gemini 404 inside an array',
      status: 404,
      body: '[{"error":{"code":404,"message":"This model models/gemini-2.5-flash is no longer available to new users.","status":"NOT_FOUND"}}]',
      expected: { type: 'not_found_error', code: 'NOT_FOUND', message: 'This model models/gemini-2.5-flash is no longer available to new users.', param: null },
    },
    {
      name: "Cloudflare's bot check in front of Groq and Cerebras: bare text",
      status: 403,
      body: 'error code: 1010',
      expected: { type: 'permission_error', code: null, message: 'error code: 1010', param: null },
    },
    {
      name: 'an HTML 502 page',
      status: 502,
      body: '<html><head><title>502 Bad Gateway</title></head><body>…</body></html>',
      expected: { type: 'upstream_error', code: null, message: '502 Bad Gateway', param: null },
    },
    {
      name: 'an empty 503',
      status: 503,
      body: '',
      expected: { type: 'service_unavailable', code: null, message: '503 Service Unavailable', param: null },
    },
  ])('$name', ({ status, body, expected }) => {
    expect(translateError(status, {}, body)).toEqual({ status, ...expected });
  });

  it('masks every provider\'s keys in what it passes on', () => {
    const body = JSON.stringify({ error: { message: 'bad keys: gsk_abcdefghijklmnop12 sk-or-v1-abcdefghijklmnop34 csk-abcdefghijkl56 nvapi-abcdefghijkl78 AIzaSyAbcdefghijklmnopqrstuv90 ghp_abcdefghijklmnop12' } });
    const message = translateError(401, {}, body).message;
    for (const secret of ['abcdefghijklmnop', 'abcdefghijkl56', 'Abcdefghijklmnopqrstuv']) expect(message).not.toContain(secret);
    expect(message).toBe('bad keys: gsk_…12 sk-o…34 csk-…56 nvap…78 AIza…90 ghp_…12');
  });

  it('one line, at most 500 characters', () => {
    const message = translateError(400, {}, JSON.stringify({ error: { message: `a\n\nb ${'x'.repeat(1000)}` } })).message;
    expect(message.startsWith('a b x')).toBe(true);
    expect(message.length).toBe(500);
  });
});

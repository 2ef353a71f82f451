import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../test-support/harness';

const post = (h: Harness, path: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  fetch(`${h.origin}${path}`, { method: 'POST', headers, body });

async function expectOpenAIError(response: Response, status: number, code?: string) {
  expect(response.status).toBe(status);
  const body = (await response.json()) as { error: Record<string, unknown> };
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
  expect(typeof body.error.message).toBe('string');
  if (code) expect(body.error.code).toBe(code);
  return body.error;
}

describe('errors are OpenAI-shaped with the right status', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('malformed JSON → 400', async () => {
    await expectOpenAIError(await post(h, '/v1/chat/completions', '{"model": "gpt-4o-mini", '), 400, 'invalid_json');
  });

  it('missing model → 400 naming the parameter', async () => {
    const error = await expectOpenAIError(await post(h, '/v1/chat/completions', JSON.stringify({ messages: [{ role: 'user', content: 'x' }] })), 400);
    expect(error.param).toBe('model');
  });

  it('missing messages → 400 naming the parameter', async () => {
    const error = await expectOpenAIError(await post(h, '/v1/chat/completions', JSON.stringify({ model: 'gpt-4o-mini' })), 400);
    expect(error.param).toBe('messages');
  });

  it('body over the size limit → 413', async () => {
    const huge = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x'.repeat(11 * 1024 * 1024) }] });
    await expectOpenAIError(await post(h, '/v1/chat/completions', huge), 413, 'request_too_large');
  });

  it('unknown route → 404', async () => {
    await expectOpenAIError(await fetch(`${h.origin}/v1/nope`), 404, 'unknown_route');
  });

  it('unknown model → 404 listing close matches', async () => {
    const error = await expectOpenAIError(await post(h, '/v1/chat/completions', JSON.stringify({ model: 'gpt-4o-mni', messages: [{ role: 'user', content: 'x' }] })), 404, 'model_not_found');
    expect(error.message).toContain('openai/gpt-4o-mini');
    expect(error.param).toBe('model');
  });

  it('upstream errors keep their status and carry upstream’s message', async () => {
    const long = 'word '.repeat(40_000);
    const error = await expectOpenAIError(await post(h, '/v1/chat/completions', JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: long }] })), 413);
    expect(error.message).toMatch(/Max size/i);
  });

  it('the SDK raises them as typed errors', async () => {
    await expect(h.client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] })).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });
});

describe('with no account configured', () => {
  it('answers 503 saying how to add one', async () => {
    const h = await startHarness({ users: [] });
    try {
      const error = await expectOpenAIError(await post(h, '/v1/chat/completions', JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] })), 503, 'no_accounts');
      expect(error.message).toContain('GROQ_API_KEY');
      expect(error.message).toMatch(/Settings/);
    } finally {
      await h.close();
    }
  });
});

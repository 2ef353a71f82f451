import OpenAI, { APIError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../test-support/harness';

describe('a stopped proxy (issue 15 item 24)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('answers the whole OpenAI surface, models included, with 503 proxy_stopped in headless words; status stays up', async () => {
    await h.engine.stopProxy();
    try {
      const client = new OpenAI({ baseURL: `${h.origin}/v1`, apiKey: 'unused', maxRetries: 0 });
      for (const call of [() => client.models.list(), () => client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }), () => client.embeddings.create({ model: 'text-embedding-3-small', input: 'x' })]) {
        const error = (await call().catch((e: unknown) => e)) as APIError;
        expect(error).toBeInstanceOf(APIError);
        expect(error.status).toBe(503);
        expect(error.code).toBe('proxy_stopped');
        expect(error.message).not.toContain('tray');
        expect(error.message).toContain('/admin/api/proxy/start');
      }
      expect((await fetch(`${h.origin}/v1/tokens/stats`)).status).toBe(200);
      expect((await fetch(`${h.origin}/health`)).status).toBe(200);
    } finally {
      await h.engine.startProxy();
    }
    expect((await fetch(`${h.origin}/v1/models`)).status).toBe(200);
  });
});

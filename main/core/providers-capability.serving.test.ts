import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from './test-support/harness';
import { startProviderHarness } from './test-support/provider-harness';

/**
 * Embeddings go only to models that embed, chat only to models that chat (DESIGN.md), decided from
 * the providers' catalogs before anything is sent: a clear 400 in OpenAI's dialect otherwise.
 */
let h: Harness;
beforeAll(async () => {
  const keys = [
    { provider: 'gemini' as const, key: 'AIzaCapability01', owner: 'proj' },
    { provider: 'mistral' as const, key: 'mistralCapability01', owner: 'org_m' },
  ];
  h = await startProviderHarness({ keys }, { GEMINI_API_KEY: 'AIzaCapability01', MISTRAL_API_KEY: 'mistralCapability01' });
});
afterAll(async () => h?.close());

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error as InstanceType<typeof OpenAI.APIError>,
  );

describe('what a model does decides where a request may go', () => {
  it.each([
    ['embeddings', 'gemini/gemini-2.5-flash', 'model_not_embedding', /'gemini\/gemini-2\.5-flash' cannot serve embeddings: .*does chat only/],
    ['embeddings', 'mistral-small-latest', 'model_not_embedding', /'mistral-small-latest' cannot serve embeddings: mistral\/mistral-small-latest \(Mistral\) does chat only/],
    ['chat', 'gemini/gemini-embedding-001', 'model_not_chat', /'gemini\/gemini-embedding-001' cannot serve chat: .*does embeddings only \(it is an embedding model\)/],
    ['chat', 'mistral-embed', 'model_not_chat', /'mistral-embed' cannot serve chat: mistral\/mistral-embed \(Mistral\) does embeddings only/],
  ])('%s sent to %s: 400 invalid_request_error %s, naming the model and what it does; nothing sent upstream', async (operation, model, code, message) => {
    const before = h.sim.stats().totals.requests;
    const error = await refusal(
      operation === 'embeddings' ? h.client.embeddings.create({ model, input: 'hello' }) : h.client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hello' }] }),
    );
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error?.status).toBe(400);
    expect(error?.type).toBe('invalid_request_error');
    expect(error?.code).toBe(code);
    expect(error?.param).toBe('model');
    expect(error?.message).toMatch(message);
    expect(h.sim.stats().totals.requests).toBe(before);
  });

  it('the models that do it still serve: embeddings from an embedding model, chat from a chat model', async () => {
    const embedded = await h.client.embeddings.create({ model: 'gemini/gemini-embedding-001', input: 'hello' });
    expect(embedded.data[0]?.embedding.length).toBeGreaterThan(0);
    const mistral = await h.client.embeddings.create({ model: 'mistral-embed', input: ['a', 'b'] });
    expect(mistral.data).toHaveLength(2);
    const chat = await h.client.chat.completions.create({ model: 'gemini/gemini-2.5-flash', messages: [{ role: 'user', content: 'hello' }] });
    expect(chat.choices[0]?.message.content).toBeTruthy();
  });
});

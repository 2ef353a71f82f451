import { describe, expect, it } from 'vitest';
import { bodyText } from './http';
import { providerFor } from './index';
import { PROVIDER_IDS, type ProviderCredentials, type ProviderId } from './types';

const creds = (provider: ProviderId): ProviderCredentials => {
  if (provider === 'cloudflare') return { key: 'k', baseUrl: 'https://api.cloudflare.com/client/v4', accountId: 'acc' };
  if (provider === 'azure') return { key: 'k', baseUrl: '', endpoint: 'https://acme.openai.azure.com' };
  return { key: 'k', baseUrl: providerFor(provider).defaultBaseUrl || 'https://example.test/v1' };
};

// A body no provider's quirks touch, except Cloudflare's, which always writes max_tokens and flattens content.
const PLAIN = { model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 10, seed: 12345678901234567890 };
const SENT = Buffer.from('{ "model":"m", "messages":[{"role":"user","content":"hi"}], "max_tokens":10, "seed":12345678901234567890 }');

describe('the client’s bytes in a built request', () => {
  it.each(PROVIDER_IDS.filter((id) => id !== 'cloudflare' && id !== 'mistral'))('%s sends them as they are when its quirks change nothing (big numbers stay exact)', (id) => {
    const built = providerFor(id).buildRequest('chat', creds(id), PLAIN, SENT);
    expect(built.body).toBe(SENT);
  });

  it('Mistral renames seed and Cloudflare rewrites max_tokens: both serialise the changed body instead', () => {
    expect(JSON.parse(bodyText(providerFor('mistral').buildRequest('chat', creds('mistral'), PLAIN, SENT)))).toMatchObject({ random_seed: PLAIN.seed });
    const cloudflare = providerFor('cloudflare').buildRequest('chat', creds('cloudflare'), PLAIN, SENT);
    expect(cloudflare.body).not.toBe(SENT);
    expect(JSON.parse(bodyText(cloudflare))).toMatchObject({ max_tokens: 10 });
  });

  it.each([
    ['groq', { logprobs: true }],
    ['groq', { messages: [{ role: 'user', content: 'hi', name: 'ann' }] }],
    ['cerebras', { presence_penalty: 1 }],
    ['cerebras', { max_tokens: undefined }],
    ['gemini', { user: 'u' }],
    ['mistral', { top_k: 3 }],
  ] as const)('%s applies its quirk to %j, and the original object is left as it was', (id, extra) => {
    const body = { ...PLAIN, ...extra } as Record<string, unknown>;
    if (body.max_tokens === undefined) delete body.max_tokens;
    const before = structuredClone(body);
    const built = providerFor(id).buildRequest('chat', creds(id), body, SENT);
    expect(built.body).not.toBe(SENT);
    expect(JSON.parse(bodyText(built))).not.toEqual(JSON.parse(JSON.stringify(body)));
    expect(body).toEqual(before);
  });

  it('embeddings go as sent too, unless Mistral must drop stream_options', () => {
    const sent = Buffer.from('{"model":"e","input":"x"}');
    expect(providerFor('groq').buildRequest('embeddings', creds('groq'), { model: 'e', input: 'x' }, sent).body).toBe(sent);
    expect(providerFor('mistral').buildRequest('embeddings', creds('mistral'), { model: 'e', input: 'x' }, sent).body).toBe(sent);
    expect(JSON.parse(bodyText(providerFor('mistral').buildRequest('embeddings', creds('mistral'), { model: 'e', input: 'x', stream_options: {} }, sent)))).toEqual({ model: 'e', input: 'x' });
  });
});

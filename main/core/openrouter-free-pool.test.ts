import { afterEach, describe, expect, it } from 'vitest';
import type { Harness } from './test-support/harness';
import { startProviderHarness } from './test-support/provider-harness';

/**
 * OpenRouter's `:free` models share one pool per account (providers.md §3.2). Spending it cools
 * the free model that met it; the same account's paid models are not in that pool and still serve.
 */
const open: Harness[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

const FREE = 'meta-llama/llama-3.3-70b-instruct:free';
const PAID = 'openai/gpt-4o-mini';

describe("OpenRouter's :free pool", () => {
  it('a spent free pool cools the free model only: a paid model of the same account still serves', async () => {
    const h = await startProviderHarness({ keys: [{ provider: 'openrouter', key: 'sk-or-v1-only', owner: 'alice' }], providers: { openrouter: { limits: { rpd: 1, rpm: null } } } }, { OPENROUTER_API_KEY: 'sk-or-v1-only' });
    open.push(h);
    const ask = (model: string) => h.client.chat.completions.create({ model: `openrouter/${model}`, messages: [{ role: 'user', content: 'hi' }] }).withResponse();

    expect((await ask(FREE)).response.status).toBe(200);
    const limited = await ask(FREE).catch((error: { status?: number }) => error);
    expect(limited).toMatchObject({ status: 429 });

    const account = h.engine.snapshot().accounts.find((a) => a.key === 'OPENROUTER_API_KEY')!;
    expect(account.blocks.map((b) => b.model)).toEqual([FREE]);
    expect(account.status).toBe('ok');
    const { data, response } = await ask(PAID);
    expect(response.status).toBe(200);
    expect(data.model).toBe(PAID);
  });
});

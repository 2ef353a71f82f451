import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../test-support/harness';

describe('the OpenAI surface, over real sockets with the official SDK', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ simulator: { stream: { chunks: 6, chunkDelayMs: 80 } } });
  });
  afterAll(() => h.close());

  it('answers chat with a bare id, sending the prefixed id upstream', async () => {
    const completion = await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('openai/gpt-4o-mini');
    expect(completion.choices[0]?.message.content).toMatch(/\w/);
    expect(h.sim.stats().recent.at(-1)?.model).toBe('openai/gpt-4o-mini');
  });

  it('answers chat with a prefixed id in any case', async () => {
    const completion = await h.client.chat.completions.create({ model: 'OpenAI/GPT-4o-Mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.model).toBe('openai/gpt-4o-mini');
  });

  it('names the serving account and its own added time in headers', async () => {
    const { response } = await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(response.headers.get('x-switchyard-account')).toMatch(/^GITHUB_TOKEN\d*$/);
    expect(Number(response.headers.get('x-switchyard-overhead-ms'))).toBeGreaterThanOrEqual(0);
  });

  it('streams chunk by chunk as they arrive, not buffered whole', async () => {
    const stream = await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'count' }], stream: true, stream_options: { include_usage: true } });
    const arrivals: number[] = [];
    let text = '';
    let usage: unknown = null;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta?.content;
      if (delta) {
        arrivals.push(performance.now());
        text += delta;
      }
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text.length).toBeGreaterThan(0);
    expect(arrivals.length).toBeGreaterThanOrEqual(4);
    // Upstream spaces content chunks 80 ms apart: relayed as they come, the first and the last
    // arrive hundreds of ms apart; buffered, they would arrive together.
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThan(150);
    expect(usage).toMatchObject({ total_tokens: expect.any(Number) });
  });

  it("records upstream's token usage in the ledger, from JSON answers and from a stream's usage chunk", async () => {
    const tokensToday = () => h.engine.snapshot().accounts.flatMap((a) => a.usage).filter((u) => u.model === 'openai/gpt-4.1').reduce((sum, u) => sum + u.tokensDay, 0);
    const json = await h.client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'tokens' }] });
    expect(tokensToday()).toBe(json.usage!.total_tokens);
    const stream = await h.client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'tokens' }], stream: true, stream_options: { include_usage: true } });
    let streamed = 0;
    for await (const chunk of stream) if (chunk.usage) streamed = chunk.usage.total_tokens;
    expect(streamed).toBeGreaterThan(0);
    expect(tokensToday()).toBe(json.usage!.total_tokens + streamed);
  });

  it('answers embeddings', async () => {
    const result = await h.client.embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'] });
    expect(result.object).toBe('list');
    expect(result.data).toHaveLength(2);
    expect(result.data[0]?.embedding.length).toBeGreaterThan(0);
    expect(result.model).toBe('openai/text-embedding-3-small');
  });

  it('lists models in the OpenAI list shape', async () => {
    const page = await h.client.models.list();
    const ids = page.data.map((m) => m.id);
    expect(ids).toContain('openai/gpt-4o-mini');
    expect(page.data[0]).toMatchObject({ object: 'model', owned_by: expect.any(String) });
  });

  it("keeps the old system's /v1/tokens/stats shape, with richer fields", async () => {
    const stats = (await (await fetch(`${h.origin}/v1/tokens/stats`)).json()) as Record<string, unknown> & { tokens: Record<string, unknown>[] };
    expect(stats.total_tokens).toBe(2);
    expect(typeof stats.current_token).toBe('string');
    for (const t of stats.tokens) {
      expect(Object.keys(t)).toEqual(expect.arrayContaining(['key', 'isCurrent', 'blocked', 'failures', 'login', 'status', 'blocks', 'usage']));
      expect(typeof t.isCurrent).toBe('boolean');
      expect(typeof t.blocked).toBe('boolean');
      expect(typeof t.failures).toBe('number');
    }
    expect(stats.tokens.map((t) => t.key)).toEqual(['GITHUB_TOKEN', 'GITHUB_TOKEN2']);
    expect(stats.tokens.map((t) => t.login)).toEqual(['alice', 'bob']);
    expect(stats.tokens.filter((t) => t.isCurrent).map((t) => t.key)).toEqual([stats.current_token]);
  });

  it('reports health with uptime, version and account counts', async () => {
    const health = await (await fetch(`${h.origin}/health`)).json();
    expect(health).toMatchObject({ status: 'ok', version: expect.any(String), uptimeSeconds: expect.any(Number), accounts: { total: 2 } });
  });
});

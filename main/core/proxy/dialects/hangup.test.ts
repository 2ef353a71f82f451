import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHarness, type Harness } from '../../test-support/harness';

describe('a client of a translated dialect that hangs up mid-stream', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ simulator: { stream: { chunks: 50, chunkDelayMs: 100 } } });
  });
  afterAll(() => h.close());

  const tornDown = async (aborted: number) => {
    // The simulator sees the request aborted, never served to its end: torn down, not read out.
    await vi.waitFor(() => expect(h.sim.stats().totals.aborted).toBe(aborted), { timeout: 10_000, interval: 20 });
    expect(h.sim.stats().totals.served).toBe(0);
    await vi.waitFor(() => expect(h.engine.snapshot().traffic.inFlight).toBe(0), { timeout: 10_000, interval: 20 });
  };

  it('Responses: aborts the upstream stream and releases the slot', async () => {
    const controller = new AbortController();
    const stream = await h.client.responses.create({ model: 'gpt-4o-mini', input: 'long', stream: true, max_output_tokens: 400 }, { signal: controller.signal });
    let deltas = 0;
    try {
      for await (const event of stream) {
        if (event.type === 'response.output_text.delta') deltas += 1;
        if (deltas === 2) controller.abort();
      }
    } catch {
      // The SDK ends the iteration or throws an abort error; either way the client is gone.
    }
    expect(deltas).toBe(2);
    await tornDown(1);
  });

  it('Messages: aborts the upstream stream and releases the slot', async () => {
    const claude = new Anthropic({ baseURL: h.origin, apiKey: 'unused', maxRetries: 0 });
    const stream = claude.messages.stream({ model: 'gpt-4o-mini', max_tokens: 400, messages: [{ role: 'user', content: 'long' }] });
    let texts = 0;
    stream.on('text', () => {
      texts += 1;
      if (texts === 2) stream.abort();
    });
    await stream.done().catch(() => undefined);
    expect(texts).toBe(2);
    await tornDown(2);
  });
});

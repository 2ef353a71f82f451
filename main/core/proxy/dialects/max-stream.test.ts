import Anthropic from '@anthropic-ai/sdk';
import { APIError } from 'openai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHarness, type Harness } from '../../test-support/harness';

describe('a stream that runs past timeouts.maxStreamMs is cut with an error event in the client dialect (issue 15 item 9)', () => {
  let h: Harness;
  beforeAll(async () => {
    // 50 chunks 100 ms apart: about 5 s of stream, cut after 1 s.
    h = await startHarness({ simulator: { stream: { chunks: 50, chunkDelayMs: 100 } }, settings: { timeouts: { maxStreamMs: 1_000 } } });
  });
  afterAll(() => h.close());

  const cutUpstream = async (aborted: number) => {
    await vi.waitFor(() => expect(h.sim.stats().totals.aborted).toBe(aborted), { timeout: 10_000, interval: 20 });
    expect(h.sim.stats().totals.served).toBe(0);
    await vi.waitFor(() => expect(h.engine.snapshot().traffic.inFlight).toBe(0), { timeout: 10_000, interval: 20 });
  };

  it('chat completions: the SDK raises an APIError with code stream_too_long; upstream is aborted and the slot freed', async () => {
    const stream = await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'long' }], stream: true });
    let chunks = 0;
    const error = await (async () => {
      for await (const chunk of stream) if (chunk.choices[0]?.delta?.content) chunks += 1;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).code).toBe('stream_too_long');
    expect((error as APIError).message).toContain('timeouts.maxStreamMs');
    expect(chunks).toBeGreaterThan(0);
    expect(chunks).toBeLessThan(50);
    await cutUpstream(1);
  });

  it('Responses: ends with response.failed (stream_too_long)', async () => {
    const stream = await h.client.responses.create({ model: 'gpt-4o-mini', input: 'long', stream: true });
    const events: Array<{ type: string }> = [];
    for await (const event of stream) events.push(event as unknown as { type: string });
    expect(events.map((e) => e.type)).not.toContain('response.completed');
    expect(events.at(-1)).toMatchObject({ type: 'response.failed', response: { status: 'failed', error: { code: 'stream_too_long' } } });
    await cutUpstream(2);
  });

  it('Messages: ends with an error event the Anthropic SDK raises', async () => {
    const claude = new Anthropic({ baseURL: h.origin, apiKey: 'unused', maxRetries: 0 });
    const stream = claude.messages.stream({ model: 'gpt-4o-mini', max_tokens: 400, messages: [{ role: 'user', content: 'long' }] });
    const error = await stream.finalMessage().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(String((error as Error).message)).toContain('timeouts.maxStreamMs');
    await cutUpstream(3);
  });
});

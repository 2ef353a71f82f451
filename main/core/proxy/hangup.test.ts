import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../test-support/harness';

async function until(check: () => boolean, what: string, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('a client that hangs up', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ simulator: { stream: { chunks: 50, chunkDelayMs: 100 } } });
  });
  afterAll(() => h.close());

  it('aborts the upstream stream at once', async () => {
    const controller = new AbortController();
    const stream = await h.client.chat.completions.create(
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'long' }], stream: true, max_tokens: 400 },
      { signal: controller.signal },
    );
    let chunks = 0;
    try {
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta?.content) chunks += 1;
        if (chunks === 2) controller.abort();
      }
    } catch {
      // The SDK may end the iteration or throw an abort error; either way the client is gone.
    }
    expect(chunks).toBe(2);
    // 50 chunks × 100 ms would take 5 s; the upstream request must be torn down long before.
    await until(() => h.sim.stats().totals.aborted === 1, 'the simulator to see the upstream request aborted', 2_000);
    expect(h.sim.stats().totals.served).toBe(0);
    await until(() => h.engine.snapshot().traffic.inFlight === 0, 'the in-flight slot to be released');
  });

  it('aborts an upstream request still waiting for headers', async () => {
    h.sim.control.resetStats();
    h.sim.control.setLatency(3_000);
    const controller = new AbortController();
    const pending = h.client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }, { signal: controller.signal });
    await until(() => h.sim.stats().totals.inFlight === 1, 'the request to reach upstream');
    controller.abort();
    await expect(pending).rejects.toThrow();
    await until(() => h.sim.stats().totals.aborted === 1, 'the upstream request to be aborted', 2_000);
    h.sim.control.setLatency(0);
  });
});

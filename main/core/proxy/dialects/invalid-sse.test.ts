import type { ServerResponse } from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import { APIError } from 'openai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDialectHarness, type DialectHarness } from './test-support/harness';

/** Upstream answers that are not a valid chat event stream, each after one good chunk where it has one. */
const GOOD = `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'openai/gpt-4o-mini', choices: [{ index: 0, delta: { role: 'assistant', content: 'Partial' }, finish_reason: null }] })}\n\n`;
const BAD_STREAMS: Record<string, string[]> = {
  'an event that is not JSON': [GOOD, 'data: {not json\n\n', 'data: [DONE]\n\n'],
  'a body without SSE framing': ['{"id":"c1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}]}\n'],
};
const MESSAGES = { 'an event that is not JSON': 'not a JSON object', 'a body without SSE framing': 'not server-sent events' };

const scripted = (pieces: string[]) => async (res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const piece of pieces) {
    res.write(piece);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  res.end();
};

describe('an upstream stream that is not valid SSE ends with an error event in the client dialect (issue 15 item 14)', () => {
  let h: DialectHarness;
  beforeAll(async () => {
    h = await startDialectHarness();
  });
  afterAll(() => h.close());

  const slotFreed = () => vi.waitFor(() => expect(h.engine.snapshot().traffic.inFlight).toBe(0), { timeout: 5_000, interval: 20 });

  for (const [what, pieces] of Object.entries(BAD_STREAMS)) {
    const expected = MESSAGES[what as keyof typeof MESSAGES];

    it(`chat completions: ${what} → the SDK raises an APIError after the good chunks`, async () => {
      h.tools.nextStream = scripted(pieces);
      const stream = await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true });
      let text = '';
      const error = await (async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      })().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(APIError);
      expect((error as APIError).message).toContain(expected);
      expect((error as APIError).code).toBe('upstream_invalid_stream');
      expect(text).toBe(pieces[0] === GOOD ? 'Partial' : '');
      await slotFreed();
    });

    it(`Responses: ${what} → response.failed, never response.completed`, async () => {
      h.tools.nextStream = scripted(pieces);
      const stream = await h.client.responses.create({ model: 'gpt-4o-mini', input: 'hi', stream: true });
      const events: Array<{ type: string; [k: string]: unknown }> = [];
      for await (const event of stream) events.push(event as unknown as { type: string });
      const types = events.map((e) => e.type);
      expect(types).not.toContain('response.completed');
      expect(events.at(-1)).toMatchObject({ type: 'response.failed', response: { status: 'failed', error: { code: 'upstream_invalid_stream', message: expect.stringContaining(expected) } } });
      await slotFreed();
    });

    it(`Messages: ${what} → an error event the Anthropic SDK raises`, async () => {
      h.tools.nextStream = scripted(pieces);
      const claude = new Anthropic({ baseURL: h.origin, apiKey: 'unused', maxRetries: 0 });
      const stream = claude.messages.stream({ model: 'gpt-4o-mini', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
      const error = await stream.finalMessage().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Anthropic.APIError);
      expect(String((error as Error).message)).toContain(expected);
      expect(String((error as Error).message)).toContain('api_error');
      await slotFreed();
    });
  }

  it('still relays a valid stream whole (the scripted answer is used once)', async () => {
    h.tools.nextStream = scripted([GOOD, `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`, 'data: [DONE]\n\n']);
    const stream = await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe('Partial');
    expect(h.tools.nextStream).toBeNull();
  });
});

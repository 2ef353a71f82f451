import { afterEach, describe, expect, it } from 'vitest';
import { postJson, readEvents, startDialectHarness, type DialectHarness } from './test-support/harness';

const MINI = 'openai/gpt-4o-mini';
const EMBED = 'openai/text-embedding-3-small';
let h: DialectHarness;
afterEach(async () => {
  await h?.close();
});

const requests = [
  { dialect: 'chat', path: '/v1/chat/completions', model: MINI, body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] } },
  { dialect: 'embeddings', path: '/v1/embeddings', model: EMBED, body: { model: 'text-embedding-3-small', input: 'hi' } },
  { dialect: 'responses', path: '/v1/responses', model: MINI, body: { model: 'gpt-4o-mini', input: 'hi' } },
  { dialect: 'messages', path: '/v1/messages', model: MINI, body: { model: 'gpt-4o-mini', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] } },
] as const;

describe('429s on every dialect tell the client when, and whether, to retry', () => {
  for (const r of requests) {
    it(`${r.dialect}: a reset a day away carries Retry-After, retry-after-ms and x-should-retry: false`, async () => {
      h = await startDialectHarness();
      for (const login of ['alice', 'bob']) h.sim.control.exhaust(login, r.model, 'UserByModelByDay');
      const response = await postJson(h.origin, r.path, r.body);
      expect(response.status).toBe(429);
      const seconds = Number(response.headers.get('retry-after'));
      expect(seconds).toBeGreaterThan(3600);
      expect(response.headers.get('retry-after-ms')).toBe(String(seconds * 1000));
      expect(response.headers.get('x-should-retry')).toBe('false');
    });

    it(`${r.dialect}: a reset within a client's wait carries Retry-After and retry-after-ms, and no x-should-retry`, async () => {
      h = await startDialectHarness({ settings: { maxWaitMs: 0 } });
      for (const login of ['alice', 'bob']) h.sim.control.failNext('429', { login, limitType: 'UserByModelByMinute', seconds: 30 });
      const response = await postJson(h.origin, r.path, r.body);
      expect(response.status).toBe(429);
      const seconds = Number(response.headers.get('retry-after'));
      expect(seconds).toBeGreaterThanOrEqual(29);
      expect(seconds).toBeLessThanOrEqual(31);
      expect(response.headers.get('retry-after-ms')).toBe(String(seconds * 1000));
      expect(response.headers.has('x-should-retry')).toBe(false);
    });
  }
});

describe('chat completions keep their behaviour on the dialect seam', () => {
  it('rotates while streaming and relays the stream byte for byte', async () => {
    h = await startDialectHarness();
    h.sim.control.failNext('429', { login: 'alice', limitType: 'UserByModelByDay', seconds: 5000 });
    const response = await postJson(h.origin, '/v1/chat/completions', { model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-switchyard-account')).toBe('GITHUB_TOKEN2');
    const events = await readEvents(response);
    expect(events.at(-1)?.data).toBe('[DONE]');
    expect(events[0]?.data).toContain('prompt_filter_results'); // upstream's own prelude, untouched
    const text = events
      .slice(0, -1)
      .map((e) => JSON.parse(e.data) as { choices: Array<{ delta?: { content?: string } }> })
      .map((c) => c.choices[0]?.delta?.content ?? '')
      .join('');
    expect(text).toMatch(/as bob\./);
    expect(h.tools.bodies.at(-1)).toEqual({ model: MINI, stream: true, messages: [{ role: 'user', content: 'hi' }] });
  });
});

import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from './server';
import { splitWords } from './sse';
import { chat, rateLimitHeaders, until } from './test-client';

const ALICE = 'ghp_testAlice0000000000000000000000000001';

let sim: Simulator | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

function open(s: Simulator, body: Record<string, unknown>, signal?: AbortSignal) {
  return request(`${s.url}/inference/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ALICE}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true, ...body }),
    signal,
  });
}

const dataLines = (text: string) =>
  text
    .split('\n\n')
    .filter((block) => block.startsWith('data: '))
    .map((block) => block.slice('data: '.length));

describe('splitWords', () => {
  it('splits into consecutive non-empty pieces', () => {
    expect(splitWords(['a', ' b', ' c', ' d', ' e'], 2)).toEqual(['a b', ' c d e']);
    expect(splitWords(['a', ' b'], 5)).toEqual(['a', ' b']);
  });
});

describe('streaming', () => {
  it('sends the prelude, N content chunks, finish, usage and [DONE]', async () => {
    const s = (sim = await startSimulator({ users: [{ token: ALICE, login: 'alice' }], stream: { chunks: 4, ping: true } }));
    const res = await open(s, { stream_options: { include_usage: true } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream');
    expect(res.headers['x-ratelimit-limit-requests']).toBe('20000');
    const text = await res.body.text();
    expect(text).toContain('\n\n: ping\n\n');
    const lines = dataLines(text);
    expect(lines.at(-1)).toBe('[DONE]');
    const events = lines.slice(0, -1).map((l) => JSON.parse(l));
    const [prelude, ...rest] = events;
    expect(prelude.choices).toEqual([]);
    expect(prelude.prompt_filter_results[0].content_filter_results.hate).toEqual({ filtered: false, severity: 'safe' });
    const content = rest.filter((e) => e.choices[0]?.delta?.content !== undefined);
    expect(content).toHaveLength(4);
    for (const e of content) {
      expect(e).toMatchObject({ object: 'chat.completion.chunk', model: 'openai/gpt-4o-mini' });
      expect(e.choices[0].content_filter_results.violence.filtered).toBe(false);
      expect(e.choices[0].delta.content).not.toBe('');
    }
    expect(content[0].choices[0].delta.role).toBe('assistant');
    const finish = rest.find((e) => e.choices[0]?.finish_reason);
    expect(finish.choices[0].finish_reason).toBe('stop');
    const usage = events.at(-1);
    expect(usage.choices).toEqual([]);
    const joined = content.map((e) => e.choices[0].delta.content).join('');
    const plain = JSON.parse((await chat(s, ALICE, { model: 'openai/gpt-4o-mini' })).text);
    expect(joined).toBe(plain.choices[0].message.content);
    expect(usage.usage).toEqual(plain.usage);
    expect(s.stats().recent.at(0)).toMatchObject({ endpoint: 'chat', login: 'alice', stream: true, status: 200, aborted: false });
  });

  it('leaves out the usage chunk unless asked', async () => {
    const s = (sim = await startSimulator({ users: [{ token: ALICE, login: 'alice' }] }));
    const lines = dataLines(await (await open(s, {})).body.text());
    expect(lines.at(-1)).toBe('[DONE]');
    expect(lines.slice(0, -1).map((l) => JSON.parse(l)).some((e) => 'usage' in e)).toBe(false);
  });

  it('writes chunks as they come; a client hang-up is counted as aborted and frees the slot', async () => {
    const s = (sim = await startSimulator({ users: [{ token: ALICE, login: 'alice' }], stream: { chunks: 3, chunkDelayMs: 60_000 } }));
    const controller = new AbortController();
    const res = await open(s, {}, controller.signal);
    let received = '';
    for await (const piece of res.body) {
      received += String(piece);
      if (received.includes('"delta":{"role":"assistant"')) break;
    }
    // The first content chunk is here while the second is a minute away: nothing was buffered.
    expect(received).not.toContain('[DONE]');
    expect(s.stats().totals.inFlight).toBe(1);
    expect(s.control.usage('alice', 'openai/gpt-4o-mini').inFlight).toBe(1);
    controller.abort();
    await until(() => s.stats().totals.aborted === 1);
    expect(s.stats().totals).toMatchObject({ inFlight: 0, served: 0, aborted: 1 });
    expect(s.control.usage('alice', 'openai/gpt-4o-mini').inFlight).toBe(0);
    expect(s.stats().recent.at(-1)).toMatchObject({ stream: true, status: 200, aborted: true });
  });

  it('enforces the concurrency cap with a "per 0s" 429 while a stream is open', async () => {
    const s = (sim = await startSimulator({
      users: [{ token: ALICE, login: 'alice' }],
      limits: { perMinute: 10, perDay: 10, concurrent: 1 },
      stream: { chunks: 2, chunkDelayMs: 60_000 },
    }));
    const controller = new AbortController();
    const held = await open(s, {}, controller.signal);
    expect(held.statusCode).toBe(200);
    const r = await chat(s, ALICE, { model: 'openai/gpt-4.1' });
    expect(r.status).toBe(429);
    expect(rateLimitHeaders(r)).toMatchObject({ 'x-ratelimit-type': 'UserConcurrentRequests', 'retry-after': '0' });
    expect(JSON.parse(r.text).error.message).toBe(
      'Rate limit of 1 per 0s exceeded for UserConcurrentRequests. Please wait 0 seconds before retrying.',
    );
    controller.abort();
    await until(() => s.control.usage('alice', 'x').inFlight === 0);
    expect((await chat(s, ALICE, { model: 'openai/gpt-4.1' })).status).toBe(200);
  });
});

import { readFileSync } from 'node:fs';
import Anthropic from '@anthropic-ai/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { postJson, readEvents, startDialectHarness, type DialectHarness } from './test-support/harness';

const MINI = 'openai/gpt-4o-mini';
const CLAUDE_MAP = { 'claude-sonnet-*': 'openai/gpt-4o-mini', 'claude-haiku-4-5': 'gpt-4.1' };
const ANTHROPIC = { 'anthropic-version': '2023-06-01' };

let h: DialectHarness;
afterEach(async () => {
  await h?.close();
});

const start = (options: Parameters<typeof startDialectHarness>[0] = {}) => startDialectHarness({ ...options, settings: { claudeModelMap: CLAUDE_MAP, ...options.settings } });
const claude = () => new Anthropic({ baseURL: h.origin, apiKey: 'unused', maxRetries: 0, timeout: 20_000 });
const lastUpstream = () => h.tools.bodies.at(-1) as { messages: Array<Record<string, unknown>>; [k: string]: unknown };
const bashTool = { name: 'Bash', description: 'Run a command', input_schema: { type: 'object' as const, properties: { command: { type: 'string' } }, required: ['command'] } };
const dataOf = (events: { data: string }[]) => events.map((e) => JSON.parse(e.data) as { type: string; [k: string]: unknown });

describe('POST /v1/messages over chat completions, with the official @anthropic-ai/sdk', () => {
  it('answers messages.create with text content, stop_reason and usage, mapping a dated Claude name', async () => {
    h = await start();
    // temperature is not in this SDK's types any more; Claude Code still sends it (clients.md §2.4).
    const params = { model: 'claude-sonnet-4-5-20250929', max_tokens: 100, system: 'Be brief.', messages: [{ role: 'user', content: 'hi' }], stop_sequences: ['END'], temperature: 0.5 } as Anthropic.MessageCreateParamsNonStreaming;
    const message = await claude().messages.create(params);
    expect(message.type).toBe('message');
    expect(message.role).toBe('assistant');
    expect(message.id).toMatch(/^msg_/);
    expect(message.content).toEqual([{ type: 'text', text: expect.stringMatching(/^Hello from openai\/gpt-4o-mini as alice\./) }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    expect(message.usage.output_tokens).toBeGreaterThan(0);
    expect(lastUpstream()).toMatchObject({ model: MINI, max_tokens: 100, stop: ['END'], temperature: 0.5, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi' }] });
  });

  it('says max_tokens when upstream stopped on length', async () => {
    h = await start();
    const message = await claude().messages.create({ model: 'gpt-4o-mini', max_tokens: 3, messages: [{ role: 'user', content: 'hi' }] });
    expect(message.stop_reason).toBe('max_tokens');
  });

  it('streams with messages.stream: message_start, ping, block events, message_delta with usage, message_stop', async () => {
    h = await start({ simulator: { stream: { chunks: 5, chunkDelayMs: 60 } } });
    const stream = claude().messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'count' }] });
    const types: string[] = [];
    const textTimes: number[] = [];
    stream.on('streamEvent', (event) => types.push(event.type));
    stream.on('text', () => textTimes.push(performance.now()));
    const final = await stream.finalMessage();
    expect(types.slice(0, 3)).toEqual(['message_start', 'content_block_start', 'content_block_delta']);
    expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(textTimes).toHaveLength(5);
    expect(textTimes.at(-1)! - textTimes[0]!).toBeGreaterThan(120);
    expect(final.content[0]).toMatchObject({ type: 'text', text: expect.stringMatching(/^Hello from openai\/gpt-4o-mini/) });
    expect(final.stop_reason).toBe('end_turn');
    expect(final.usage.output_tokens).toBeGreaterThan(0);
    expect(final.usage.input_tokens).toBeGreaterThan(0); // from message_delta: upstream's real count

    const raw = await postJson(h.origin, '/v1/messages', { model: 'claude-sonnet-4-5', max_tokens: 10, stream: true, messages: [{ role: 'user', content: 'x' }] }, ANTHROPIC);
    const events = await readEvents(raw);
    expect(events.slice(0, 2).map((e) => e.event)).toEqual(['message_start', 'ping']);
    for (const e of events) expect(JSON.parse(e.data).type).toBe(e.event);
  });

  it('round-trips tool use: tool_use out (JSON and streamed), tool_result back in as a tool message', async () => {
    h = await start();
    const first = await claude().messages.create({ model: 'claude-sonnet-4-5', max_tokens: 200, tools: [bashTool], tool_choice: { type: 'any' }, messages: [{ role: 'user', content: 'List files' }] });
    expect(first.stop_reason).toBe('tool_use');
    const use = first.content.find((b) => b.type === 'tool_use');
    expect(use).toMatchObject({ type: 'tool_use', name: 'Bash', input: { city: 'Paris', unit: 'celsius' } });
    expect(lastUpstream()).toMatchObject({ tools: [{ type: 'function', function: { name: 'Bash', parameters: bashTool.input_schema } }], tool_choice: 'required' });

    const streamed = await claude().messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 200, tools: [bashTool], messages: [{ role: 'user', content: 'List files' }] }).finalMessage();
    expect(streamed.stop_reason).toBe('tool_use');
    expect(streamed.content).toEqual([{ type: 'tool_use', id: 'call_stub2', name: 'Bash', input: { city: 'Paris', unit: 'celsius' } }]);
    if (use?.type !== 'tool_use') throw new Error('no tool_use');

    const second = await claude().messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 200,
      tools: [bashTool],
      messages: [
        { role: 'user', content: 'List files' },
        { role: 'assistant', content: [{ type: 'text', text: 'Listing.' }, use] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: [{ type: 'text', text: 'a.txt' }, { type: 'text', text: 'b.txt' }] }] },
      ],
    });
    expect(second.content[0]).toMatchObject({ type: 'text' });
    expect(lastUpstream().messages.slice(1)).toEqual([
      { role: 'assistant', content: 'Listing.', tool_calls: [{ id: use.id, type: 'function', function: { name: 'Bash', arguments: JSON.stringify(use.input) } }] },
      { role: 'tool', tool_call_id: use.id, content: 'a.txt\nb.txt' },
    ]);
  });

  it('keeps a character that the network cut in two whole', async () => {
    h = await start();
    h.tools.args = '{"city":"Zürich – 東京"}';
    const final = await claude().messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 50, tools: [bashTool], messages: [{ role: 'user', content: 'where' }] }).finalMessage();
    expect(final.content[0]).toMatchObject({ type: 'tool_use', input: { city: 'Zürich – 東京' } });
  });

  it('counts tokens with a real tokenizer, every block included, and says it is an estimate', async () => {
    h = await start();
    const base = { model: 'claude-sonnet-4-5', messages: [{ role: 'user' as const, content: 'What is the capital of France?' }] };
    const { data: small, response } = await claude().messages.countTokens(base).withResponse();
    expect(small.input_tokens).toBeGreaterThan(7);
    expect(small.input_tokens).toBeLessThan(30);
    expect(response.headers.get('x-switchyard-token-count')).toMatch(/^estimate; tokenizer=o200k_base/);
    const withTools = await claude().messages.countTokens({ ...base, tools: [bashTool] });
    expect(withTools.input_tokens).toBeGreaterThan(small.input_tokens + 10);
    const longResult = 'lorem ipsum dolor sit amet '.repeat(50);
    const withResult = await claude().messages.countTokens({
      ...base,
      messages: [
        ...base.messages,
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'cat notes.txt' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: longResult }] },
      ],
    });
    expect(withResult.input_tokens).toBeGreaterThan(small.input_tokens + 250);
    expect(h.sim.stats().totals.requests).toBe(0); // counted here, nothing sent upstream
    const bad = await postJson(h.origin, '/v1/messages/count_tokens?beta=true', { model: 'claude-sonnet-4-5' }, ANTHROPIC);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: "Missing required parameter: 'messages'." } });
  });

  it('accepts ?beta=true and the anthropic-version / anthropic-beta headers', async () => {
    h = await start();
    const response = await postJson(h.origin, '/v1/messages?beta=true', { model: 'claude-sonnet-4-5', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }, { ...ANTHROPIC, 'anthropic-beta': 'claude-code-20250219,interleaved-thinking-2025-05-14' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ type: 'message', content: [{ type: 'text' }] });
  });

  it('refuses an unmapped Claude name in Anthropic shape, saying how to map it', async () => {
    h = await start();
    const error = await claude()
      .messages.create({ model: 'claude-opus-4-1', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
    const body = (error as { error: { type: string; error: { type: string; message: string } } }).error;
    expect(body.type).toBe('error');
    expect(body.error.type).toBe('not_found_error');
    expect(body.error.message).toMatch(/claudeModelMap/);
    expect(body.error.message).toMatch(/ANTHROPIC_MODEL/);
    expect(h.sim.stats().totals.requests).toBe(0);
  });

  it('answers bad input in Anthropic error shape', async () => {
    h = await start();
    const response = await postJson(h.origin, '/v1/messages', { model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }] }, ANTHROPIC);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: "Missing required parameter: 'max_tokens'." } });
    const badJson = await fetch(`${h.origin}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...ANTHROPIC }, body: '{"model":' });
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
  });

  it("answers the proxy's own refusals in Anthropic shape too: a missing client key, the inbound rate limit", async () => {
    h = await start({ env: { SWITCHYARD_API_KEY: 'sk-local-key-123', RATE_LIMIT_ENABLED: '1', RATE_LIMIT_PER_MINUTE: '2' } });
    const ask = (headers: Record<string, string>) => postJson(h.origin, '/v1/messages', { model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }, { ...ANTHROPIC, ...headers });
    const refused = await ask({});
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ type: 'error', error: { type: 'authentication_error', message: expect.stringMatching(/API key/) } });
    const withToken = new Anthropic({ baseURL: h.origin, authToken: 'sk-local-key-123', apiKey: null, maxRetries: 0 });
    expect((await withToken.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })).type).toBe('message');
    await ask({ authorization: 'Bearer sk-local-key-123' });
    const limited = await ask({ authorization: 'Bearer sk-local-key-123' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBeTruthy();
    expect(await limited.json()).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: expect.stringMatching(/RATE_LIMIT_PER_MINUTE/) } });
  });

  it('answers a rate limit as rate_limit_error with Retry-After, retry-after-ms and x-should-retry: false', async () => {
    h = await start();
    h.sim.control.exhaust('alice', MINI, 'UserByModelByDay');
    h.sim.control.exhaust('bob', MINI, 'UserByModelByDay');
    const response = await postJson(h.origin, '/v1/messages', { model: 'claude-sonnet-4-5', max_tokens: 10, stream: true, messages: [{ role: 'user', content: 'hi' }] }, ANTHROPIC);
    expect(response.status).toBe(429);
    const seconds = Number(response.headers.get('retry-after'));
    expect(seconds).toBeGreaterThan(3600);
    expect(Number(response.headers.get('retry-after-ms'))).toBe(seconds * 1000);
    expect(response.headers.get('x-should-retry')).toBe('false');
    const body = (await response.json()) as { type: string; error: { type: string; message: string } };
    expect(body).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: expect.stringContaining('UserByModelByDay') } });
  });

  it('rotates to the other account while streaming when the first is rate-limited', async () => {
    h = await start();
    h.sim.control.failNext('429', { login: 'alice', limitType: 'UserByModelByDay', seconds: 5000 });
    const { data: stream, response } = await claude().messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(response.headers.get('x-switchyard-account')).toBe('GITHUB_TOKEN2');
    const final = await stream.finalMessage();
    expect(final.content[0]).toMatchObject({ type: 'text', text: expect.stringMatching(/as bob\./) });
  });

  it('ends a stream that breaks midway with an error event', async () => {
    h = await start({ simulator: { stream: { chunks: 5 } } });
    h.sim.control.failNext('reset-mid', { login: 'alice' });
    const response = await postJson(h.origin, '/v1/messages', { model: 'claude-sonnet-4-5', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'hi' }] }, ANTHROPIC);
    expect(response.status).toBe(200);
    const events = await readEvents(response);
    expect(events.at(-1)?.event).toBe('error');
    expect(JSON.parse(events.at(-1)!.data)).toEqual({ type: 'error', error: { type: 'api_error', message: expect.stringMatching(/failed midway/) } });
    expect(events.map((e) => e.event)).not.toContain('message_stop');
    const sdkError = await claude()
      .messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] })
      .finalMessage()
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(sdkError).toBeNull(); // the next one is served whole (the fault was one-shot)
  });

  it('lists models in Anthropic list shape when the request carries anthropic-version', async () => {
    h = await start();
    const page = await claude().models.list();
    const ids = page.data.map((m) => m.id);
    expect(ids[0]).toBe('claude-haiku-4-5');
    expect(ids).toContain(MINI);
    expect(page.data[0]).toMatchObject({ type: 'model', display_name: expect.stringContaining('gpt-4.1'), created_at: expect.any(String) });
    const raw = (await (await fetch(`${h.origin}/v1/models?limit=1000`, { headers: ANTHROPIC })).json()) as Record<string, unknown>;
    expect(raw).toMatchObject({ has_more: false, first_id: 'claude-haiku-4-5', last_id: expect.any(String) });
    const openai = await h.client.models.list();
    expect(openai.data[0]).toMatchObject({ object: 'model' });
  });

  it('serves a request as Claude Code sends it (recorded fixture) end to end', async () => {
    h = await start();
    const fixture = JSON.parse(readFileSync(new URL('./fixtures/claude-code-request.json', import.meta.url), 'utf8')) as { path: string; headers: Record<string, string>; body: unknown };
    const response = await postJson(h.origin, fixture.path, fixture.body, fixture.headers);
    expect(response.status).toBe(200);
    const events = dataOf(await readEvents(response));
    expect(events.map((e) => e.type)).toEqual(['message_start', 'ping', 'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
    expect(events[2]).toMatchObject({ index: 0, content_block: { type: 'tool_use', name: 'Bash', input: {} } });
    const json = events.filter((e) => e.type === 'content_block_delta').map((e) => (e.delta as { partial_json: string }).partial_json).join('');
    expect(JSON.parse(json)).toEqual({ city: 'Paris', unit: 'celsius' });
    expect(events[6]).toMatchObject({ delta: { stop_reason: 'tool_use' }, usage: { input_tokens: 20, output_tokens: 9 } });

    const upstream = lastUpstream();
    expect(upstream.model).toBe(MINI);
    expect(upstream.messages[0]).toEqual({ role: 'system', content: "You are Claude Code, Anthropic's official CLI for Claude.\n\nYou are an interactive CLI tool that helps users with software engineering tasks." });
    expect(upstream.messages.slice(2)).toEqual([
      { role: 'assistant', content: "I'll read it.", tool_calls: [{ id: 'toolu_01A09q90qw90lq917835lq9', type: 'function', function: { name: 'Bash', arguments: '{"command":"cat package.json","description":"Show package.json"}' } }] },
      { role: 'tool', tool_call_id: 'toolu_01A09q90qw90lq917835lq9', content: '{"name":"demo","version":"1.0.0"}' },
      { role: 'user', content: 'Summarise it.' },
    ]);
    const params = (upstream.tools as Array<{ function: { parameters: Record<string, unknown> } }>)[0]!.function.parameters;
    expect(params).not.toHaveProperty('$schema');
    for (const dropped of ['metadata', 'system', 'stop_sequences', 'thinking']) expect(upstream).not.toHaveProperty(dropped);
  });
});

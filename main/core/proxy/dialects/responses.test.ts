import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { postJson, readEvents, startDialectHarness, type DialectHarness } from './test-support/harness';

const MINI = 'openai/gpt-4o-mini';
let h: DialectHarness;
afterEach(async () => {
  await h?.close();
});

const weatherTool = { type: 'function' as const, name: 'get_weather', description: 'Weather for a city', strict: false, parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };
const lastUpstream = () => h.tools.bodies.at(-1) as { messages: Array<Record<string, unknown>>; [k: string]: unknown };
const dataOf = (events: { data: string }[]) => events.map((e) => JSON.parse(e.data) as { type: string; [k: string]: unknown });

describe('POST /v1/responses over chat completions, with the official openai SDK', () => {
  it('answers a string input in the Responses shape, with usage and total_tokens', async () => {
    h = await startDialectHarness();
    const response = await h.client.responses.create({ model: 'gpt-4o-mini', input: 'hi', instructions: 'Be brief.', max_output_tokens: 50, temperature: 0.2 });
    expect(response.object).toBe('response');
    expect(response.status).toBe('completed');
    expect(response.id).toMatch(/^resp_/);
    expect(response.output_text).toMatch(/^Hello from openai\/gpt-4o-mini as alice\./);
    expect(response.output[0]).toMatchObject({ type: 'message', role: 'assistant', content: [{ type: 'output_text' }] });
    expect(response.usage!.total_tokens).toBe(response.usage!.input_tokens + response.usage!.output_tokens);
    expect((response as unknown as { store: boolean }).store).toBe(false);
    expect(lastUpstream()).toMatchObject({ model: MINI, max_tokens: 50, temperature: 0.2, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi' }] });
    expect(lastUpstream()).not.toHaveProperty('store');
  });

  it('streams the typed events as chunks arrive, ending with response.completed', async () => {
    h = await startDialectHarness({ simulator: { stream: { chunks: 5, chunkDelayMs: 60 } } });
    const stream = await h.client.responses.create({ model: 'gpt-4o-mini', input: [{ role: 'user', content: [{ type: 'input_text', text: 'count' }] }], stream: true });
    const types: string[] = [];
    const deltaTimes: number[] = [];
    let text = '';
    let completed: { usage?: { total_tokens: number } | null; output: unknown[]; status?: string } | null = null;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') {
        text += event.delta;
        deltaTimes.push(performance.now());
      }
      if (event.type === 'response.completed') completed = event.response;
    }
    expect(types.slice(0, 4)).toEqual(['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added']);
    expect(types.slice(-4)).toEqual(['response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed']);
    expect(deltaTimes.length).toBe(5);
    // 60 ms apart upstream: relayed as they come, not collected first.
    expect(deltaTimes.at(-1)! - deltaTimes[0]!).toBeGreaterThan(120);
    expect(text).toMatch(/^Hello from openai\/gpt-4o-mini/);
    expect(completed!.status).toBe('completed');
    expect(completed!.output).toEqual([expect.objectContaining({ type: 'message', content: [expect.objectContaining({ text })] })]);
    expect(completed!.usage!.total_tokens).toBeGreaterThan(0);
    expect(lastUpstream()).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('round-trips a function call: function_call out, function_call_output back in', async () => {
    h = await startDialectHarness();
    const first = await h.client.responses.create({ model: 'gpt-4o-mini', input: 'Weather in Paris?', tools: [weatherTool], tool_choice: 'auto', parallel_tool_calls: false });
    const call = first.output.find((item) => item.type === 'function_call');
    expect(call).toMatchObject({ type: 'function_call', name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}', call_id: expect.stringMatching(/^call_/) });
    expect(lastUpstream()).toMatchObject({ tools: [{ type: 'function', function: { name: 'get_weather', parameters: weatherTool.parameters } }], tool_choice: 'auto', parallel_tool_calls: false });
    if (call?.type !== 'function_call') throw new Error('no call');

    const second = await h.client.responses.create({
      model: 'gpt-4o-mini',
      tools: [weatherTool],
      input: [
        { role: 'user', content: 'Weather in Paris?' },
        { type: 'function_call', call_id: call.call_id, name: call.name, arguments: call.arguments },
        { type: 'function_call_output', call_id: call.call_id, output: '18 degrees, sunny' },
      ],
    });
    expect(second.output_text).toMatch(/^Hello from/);
    expect(lastUpstream().messages).toEqual([
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: null, tool_calls: [{ id: call.call_id, type: 'function', function: { name: 'get_weather', arguments: call.arguments } }] },
      { role: 'tool', tool_call_id: call.call_id, content: '18 degrees, sunny' },
    ]);
  });

  it('streams a function call as output_item.added, argument deltas and a complete output_item.done', async () => {
    h = await startDialectHarness();
    const stream = await h.client.responses.create({ model: 'gpt-4o-mini', input: 'Weather?', tools: [weatherTool], stream: true });
    const events: Array<{ type: string; [k: string]: unknown }> = [];
    for await (const event of stream) events.push(event as never);
    const types = events.map((e) => e.type);
    expect(types).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events[6]).toMatchObject({ item: { type: 'function_call', name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}', call_id: 'call_stub1', status: 'completed' } });
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(events[7]).toMatchObject({ response: { status: 'completed', usage: { input_tokens: 20, output_tokens: 9, total_tokens: 29 } } });
  });

  it('continues from previous_response_id when the response was stored, and refuses it clearly otherwise', async () => {
    h = await startDialectHarness();
    const stored = await h.client.responses.create({ model: 'gpt-4o-mini', input: 'first question', store: true });
    expect((stored as unknown as { store: boolean }).store).toBe(true);
    await h.client.responses.create({ model: 'gpt-4o-mini', input: 'second question', previous_response_id: stored.id });
    expect(lastUpstream().messages).toEqual([
      { role: 'user', content: 'first question' },
      { role: 'assistant', content: stored.output_text },
      { role: 'user', content: 'second question' },
    ]);

    const unstored = await h.client.responses.create({ model: 'gpt-4o-mini', input: 'not kept' });
    const refused = await postJson(h.origin, '/v1/responses', { model: 'gpt-4o-mini', input: 'more', previous_response_id: unstored.id });
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { error: { message: string; param: string; code: string; type: string } };
    expect(body.error).toMatchObject({ type: 'invalid_request_error', param: 'previous_response_id', code: 'previous_response_not_found' });
    expect(body.error.message).toMatch(/store.*true/);
    expect(body.error.message).toMatch(/whole conversation in input/);
  });

  it('answers bad input in OpenAI error shape, naming the parameter', async () => {
    h = await startDialectHarness();
    const missing = await postJson(h.origin, '/v1/responses', { model: 'gpt-4o-mini' });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ error: { message: "Missing required parameter: 'input'.", type: 'invalid_request_error', code: 'missing_required_parameter', param: 'input' } });
    const badItem = await postJson(h.origin, '/v1/responses', { model: 'gpt-4o-mini', input: [{ type: 'item_reference', id: 'msg_1' }] });
    expect(badItem.status).toBe(400);
    expect(await badItem.json()).toMatchObject({ error: { type: 'invalid_request_error', param: 'input.0' } });
  });

  it('answers a long rate limit with HTTP 429, Retry-After, retry-after-ms and x-should-retry: false', async () => {
    h = await startDialectHarness();
    h.sim.control.exhaust('alice', MINI, 'UserByModelByDay');
    h.sim.control.exhaust('bob', MINI, 'UserByModelByDay');
    const response = await postJson(h.origin, '/v1/responses', { model: 'gpt-4o-mini', input: 'hi', stream: true });
    expect(response.status).toBe(429);
    const seconds = Number(response.headers.get('retry-after'));
    expect(seconds).toBeGreaterThan(3600);
    expect(Number(response.headers.get('retry-after-ms'))).toBe(seconds * 1000);
    expect(response.headers.get('x-should-retry')).toBe('false');
    expect(await response.json()).toMatchObject({ error: { type: 'rate_limit_error' } });
  });

  it('streams a short rate limit as response.failed with rate_limit_exceeded and "try again in Ns", as Codex retries', async () => {
    h = await startDialectHarness({ settings: { maxWaitMs: 0 } });
    for (const login of ['alice', 'bob']) h.sim.control.failNext('429', { login, limitType: 'UserByModelByMinute', seconds: 30 });
    const response = await postJson(h.origin, '/v1/responses', { model: 'gpt-4o-mini', input: 'hi', stream: true });
    expect(response.status).toBe(200);
    const events = dataOf(await readEvents(response));
    expect(events.map((e) => e.type)).toEqual(['response.created', 'response.failed']);
    const failed = events[1] as unknown as { response: { id: string; status: string; error: { code: string; message: string } } };
    expect(failed.response).toMatchObject({ status: 'failed', error: { code: 'rate_limit_exceeded' } });
    expect(failed.response.id).toMatch(/^resp_/);
    const wait = Number(/try again in (\d+)s/.exec(failed.response.error.message)?.[1]);
    expect(wait).toBeGreaterThanOrEqual(29);
    expect(wait).toBeLessThanOrEqual(31);
  });

  it('rotates to the other account while streaming when the first is rate-limited', async () => {
    h = await startDialectHarness();
    h.sim.control.failNext('429', { login: 'alice', limitType: 'UserByModelByDay', seconds: 5000 });
    const response = await postJson(h.origin, '/v1/responses', { model: 'gpt-4o-mini', input: 'hi', stream: true });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-switchyard-account')).toBe('GITHUB_TOKEN2');
    const events = dataOf(await readEvents(response));
    expect(events.at(-1)).toMatchObject({ type: 'response.completed', response: { status: 'completed' } });
    const text = events.filter((e) => e.type === 'response.output_text.delta').map((e) => e.delta).join('');
    expect(text).toMatch(/as bob\./);
  });

  it('ends a stream that breaks midway with response.failed, never a quiet end', async () => {
    h = await startDialectHarness({ simulator: { stream: { chunks: 5 } } });
    h.sim.control.failNext('reset-mid', { login: 'alice' });
    const response = await postJson(h.origin, '/v1/responses', { model: 'gpt-4o-mini', input: 'hi', stream: true });
    expect(response.status).toBe(200);
    const events = dataOf(await readEvents(response));
    expect(events.at(-1)).toMatchObject({ type: 'response.failed', response: { status: 'failed', error: { code: 'stream_interrupted' } } });
    expect(events.map((e) => e.type)).not.toContain('response.completed');
  });

  it('serves a request as Codex CLI sends it (recorded fixture), ending with the call recorded by output_item.done', async () => {
    h = await startDialectHarness();
    const fixture = JSON.parse(readFileSync(new URL('./fixtures/codex-cli-request.json', import.meta.url), 'utf8')) as { headers: Record<string, string>; body: unknown };
    const response = await postJson(h.origin, '/v1/responses', fixture.body, fixture.headers);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = dataOf(await readEvents(response));
    const done = events.filter((e) => e.type === 'response.output_item.done');
    expect(done).toEqual([expect.objectContaining({ item: expect.objectContaining({ type: 'function_call', name: 'shell', call_id: 'call_stub1' }) })]);
    const completed = events.at(-1) as { type: string; response: { id: string; usage: { total_tokens: number; input_tokens: number; output_tokens: number } } };
    expect(completed.type).toBe('response.completed');
    expect(completed.response.id).toMatch(/^resp_/);
    expect(completed.response.usage.total_tokens).toBe(completed.response.usage.input_tokens + completed.response.usage.output_tokens);

    const upstream = lastUpstream();
    expect(upstream.messages[0]).toMatchObject({ role: 'system', content: expect.stringMatching(/^You are Codex/) });
    expect(upstream.messages[1]).toMatchObject({ role: 'system', content: expect.stringMatching(/permissions instructions/) });
    expect(upstream.messages.slice(-3)).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_5hT0p2Yw1bq3C9sVn8rKx4Lm', type: 'function', function: { name: 'shell', arguments: '{"command":["ls","src"],"workdir":"/Users/dev/project"}' } }] },
      { role: 'tool', tool_call_id: 'call_5hT0p2Yw1bq3C9sVn8rKx4Lm', content: 'index.ts\nutil.ts\n' },
      { role: 'user', content: 'Now summarise what you found.' },
    ]);
    const tools = (upstream.tools as Array<{ function: { name: string; description?: string } }>).map((t) => t.function.name);
    expect(tools).toEqual(['shell', 'update_plan', 'apply_patch']); // web_search has no chat form
    expect(upstream).not.toHaveProperty('reasoning_effort');
    for (const dropped of ['store', 'include', 'prompt_cache_key', 'reasoning', 'instructions', 'input']) expect(upstream).not.toHaveProperty(dropped);
  });
});

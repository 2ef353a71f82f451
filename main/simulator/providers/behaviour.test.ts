import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sdk, simulators } from './test-client';
import { valueFor } from './schema-value';

const open = simulators();

const Weather = z.object({
  city: z.string().min(3),
  days: z.number().int().min(1).max(7),
  unit: z.enum(['celsius', 'fahrenheit']),
  when: z.iso.datetime(),
  tags: z.array(z.string()).min(2),
  detail: z.object({ hourly: z.boolean(), note: z.string().optional() }),
  extra: z.union([z.null(), z.literal('x')]),
});
const Lookup = z.object({ query: z.string().max(5) });
const tools = [
  { type: 'function' as const, function: { name: 'get_weather', parameters: z.toJSONSchema(Weather) as Record<string, unknown> } },
  { type: 'function' as const, function: { name: 'lookup', parameters: z.toJSONSchema(Lookup) as Record<string, unknown> } },
];

async function start() {
  const sim = await open({ keys: [{ provider: 'groq', key: 'gsk_t', owner: 'org_t' }, { provider: 'mistral', key: 'm_t', owner: 'mo' }], stream: { chunks: 4 } });
  return sim;
}

describe('tools and JSON mode, answered the way a model would', () => {
  it('a forced tool_choice gets tool_calls whose arguments are valid against the schema', async () => {
    const client = sdk(await start(), 'groq', 'gsk_t');
    const reply = await client.chat.completions.create({
      model: 'llama-3.3-70b-versatile',
      messages: [{ role: 'user', content: 'weather?' }],
      tools,
      tool_choice: { type: 'function', function: { name: 'lookup' } },
    });
    const choice = reply.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    const call = choice.message.tool_calls?.[0];
    expect(call?.type === 'function' && call.function.name).toBe('lookup');
    if (call?.type !== 'function') throw new Error('no function call');
    expect(Lookup.safeParse(JSON.parse(call.function.arguments)).success).toBe(true);

    const required = await client.chat.completions.create({ model: 'llama-3.3-70b-versatile', messages: [{ role: 'user', content: 'x' }], tools, tool_choice: 'required' });
    const first = required.choices[0]!.message.tool_calls?.[0];
    if (first?.type !== 'function') throw new Error('no function call');
    expect(first.function.name).toBe('get_weather');
    expect(Weather.parse(JSON.parse(first.function.arguments))).toBeTruthy();
  });

  it('streams a tool call: the head, then argument pieces that join into valid JSON', async () => {
    const client = sdk(await start(), 'mistral', 'm_t');
    const stream = await client.chat.completions.create({ model: 'mistral-small-latest', messages: [{ role: 'user', content: 'go' }], tools, tool_choice: 'required', stream: true });
    let name = '';
    let args = '';
    let finish: string | null = null;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      for (const call of choice?.delta.tool_calls ?? []) {
        name += call.function?.name ?? '';
        args += call.function?.arguments ?? '';
      }
      finish = choice?.finish_reason ?? finish;
    }
    expect(name).toBe('get_weather');
    expect(finish).toBe('tool_calls');
    expect(Weather.safeParse(JSON.parse(args)).success).toBe(true);
  });

  it('auto calls a tool for the user, then answers in words once the tool result is back; none never calls', async () => {
    const client = sdk(await start(), 'groq', 'gsk_t');
    const first = await client.chat.completions.create({ model: 'llama-3.3-70b-versatile', messages: [{ role: 'user', content: 'weather?' }], tools });
    const call = first.choices[0]!.message.tool_calls?.[0];
    expect(call).toBeDefined();
    const second = await client.chat.completions.create({
      model: 'llama-3.3-70b-versatile',
      tools,
      messages: [
        { role: 'user', content: 'weather?' },
        { role: 'assistant', content: null, tool_calls: first.choices[0]!.message.tool_calls },
        { role: 'tool', tool_call_id: call!.id, content: '{"temp":21}' },
      ],
    });
    expect(second.choices[0]!.finish_reason).toBe('stop');
    expect(second.choices[0]!.message.content).toMatch(/^Hello from llama-3.3-70b-versatile/);
    const none = await client.chat.completions.create({ model: 'llama-3.3-70b-versatile', messages: [{ role: 'user', content: 'x' }], tools, tool_choice: 'none' });
    expect(none.choices[0]!.message.tool_calls).toBeUndefined();
  });

  it('json_object answers a JSON object; json_schema an object with the required properties, streamed and not', async () => {
    const client = sdk(await start(), 'groq', 'gsk_t');
    const obj = await client.chat.completions.create({ model: 'llama-3.3-70b-versatile', messages: [{ role: 'user', content: 'json' }], response_format: { type: 'json_object' } });
    const parsed: unknown = JSON.parse(obj.choices[0]!.message.content ?? '');
    expect(parsed).toBeTypeOf('object');
    expect(Array.isArray(parsed)).toBe(false);

    const schema = z.toJSONSchema(Weather) as Record<string, unknown>;
    const format = { type: 'json_schema' as const, json_schema: { name: 'weather', schema, strict: true } };
    const plain = await client.chat.completions.create({ model: 'llama-3.3-70b-versatile', messages: [{ role: 'user', content: 'j' }], response_format: format });
    expect(Weather.safeParse(JSON.parse(plain.choices[0]!.message.content ?? '')).success).toBe(true);
    const stream = await client.chat.completions.create({ model: 'llama-3.3-70b-versatile', messages: [{ role: 'user', content: 'j' }], response_format: format, stream: true });
    let text = '';
    let pieces = 0;
    for await (const chunk of stream) {
      const piece = chunk.choices[0]?.delta.content;
      if (piece) (text += piece), (pieces += 1);
    }
    expect(pieces).toBeGreaterThan(1);
    expect(Weather.safeParse(JSON.parse(text)).success).toBe(true);
  });

  it('schema values follow $ref, allOf and exclusive bounds', () => {
    const value = valueFor({
      type: 'object',
      $defs: { n: { type: 'integer', exclusiveMinimum: 3, exclusiveMaximum: 9 } },
      properties: { n: { $ref: '#/$defs/n' }, both: { allOf: [{ type: 'object', properties: { a: { const: 1 } } }, { required: ['b'] }] } },
      required: ['n', 'missing'],
    });
    expect(value).toEqual({ n: 4, both: { a: 1, b: 'value' }, missing: 'value' });
  });
});

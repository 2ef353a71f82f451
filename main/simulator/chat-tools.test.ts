import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startSimulator, type Simulator } from './server';

const ALICE = 'ghp_testAlice0000000000000000000000000001';
const Args = z.object({ path: z.string(), lines: z.number().int().min(1) });
const tools = [{ type: 'function' as const, function: { name: 'read_file', parameters: z.toJSONSchema(Args) as Record<string, unknown> } }];

let sim: Simulator | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

describe('GitHub Models answers tools and JSON mode too', () => {
  it('a forced tool call, streamed and not, and a json_object reply', async () => {
    sim = await startSimulator({ users: [{ token: ALICE, login: 'alice' }] });
    const client = new OpenAI({ baseURL: `${sim.url}/inference`, apiKey: ALICE, maxRetries: 0 });
    const base = { model: 'openai/gpt-4o-mini', messages: [{ role: 'user' as const, content: 'read it' }], tools, tool_choice: 'required' as const };
    const plain = await client.chat.completions.create(base);
    const call = plain.choices[0]?.message.tool_calls?.[0];
    if (call?.type !== 'function') throw new Error('no function call');
    expect(plain.choices[0]?.finish_reason).toBe('tool_calls');
    expect(Args.safeParse(JSON.parse(call.function.arguments)).success).toBe(true);

    let args = '';
    for await (const chunk of await client.chat.completions.create({ ...base, stream: true })) {
      for (const c of chunk.choices[0]?.delta.tool_calls ?? []) args += c.function?.arguments ?? '';
    }
    expect(Args.safeParse(JSON.parse(args)).success).toBe(true);

    const json = await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'j' }], response_format: { type: 'json_object' } });
    expect(JSON.parse(json.choices[0]?.message.content ?? '')).toMatchObject({ model: 'openai/gpt-4o-mini' });
  });
});

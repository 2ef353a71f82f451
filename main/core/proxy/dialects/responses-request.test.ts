import { describe, expect, it } from 'vitest';
import { ProxyError } from '../../errors';
import type { CatalogModel } from '../../upstream/types';
import { chatBody, responsesRequestSchema } from './responses-request';

const MINI: CatalogModel = { id: 'openai/gpt-4o-mini', name: 'GPT-4o mini', publisher: 'OpenAI', capabilities: ['streaming', 'tool-calling'] };
const O3: CatalogModel = { id: 'openai/o3', name: 'o3', publisher: 'OpenAI', capabilities: ['reasoning'] };
const body = (request: Record<string, unknown>, model = MINI) => chatBody(responsesRequestSchema.parse({ model: 'x', ...request }), model, []);

describe('Responses → chat completions', () => {
  it('puts instructions first, developer as system, image parts as image_url', () => {
    const out = body({
      instructions: 'Rules.',
      input: [
        { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Sandbox.' }] },
        { role: 'user', content: [{ type: 'input_text', text: 'Look' }, { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'low' }] },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Seen.' }] },
      ],
    });
    expect(out.messages).toEqual([
      { role: 'system', content: 'Rules.' },
      { role: 'system', content: 'Sandbox.' },
      { role: 'user', content: [{ type: 'text', text: 'Look' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'low' } }] },
      { role: 'assistant', content: 'Seen.' },
    ]);
  });

  it('joins consecutive function calls (reasoning between them) into one assistant turn', () => {
    const out = body({
      input: [
        { role: 'user', content: 'go' },
        { type: 'function_call', call_id: 'c1', name: 'a', arguments: '{}' },
        { type: 'reasoning', summary: [], encrypted_content: 'gAAAA' },
        { type: 'function_call', call_id: 'c2', name: 'b', arguments: '{"x":1}' },
        { type: 'function_call_output', call_id: 'c1', output: 'one' },
        { type: 'function_call_output', call_id: 'c2', output: [{ type: 'input_text', text: 'two' }, { type: 'input_image', image_url: 'data:x' }] },
      ],
    });
    expect(out.messages).toEqual([
      { role: 'user', content: 'go' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'c1', type: 'function', function: { name: 'a', arguments: '{}' } },
          { id: 'c2', type: 'function', function: { name: 'b', arguments: '{"x":1}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'one' },
      { role: 'tool', tool_call_id: 'c2', content: expect.stringMatching(/^two\n\[image omitted/) },
    ]);
  });

  it('maps tools, tool_choice, text.format, max_output_tokens; drops built-in tools, store, include', () => {
    const out = body({
      input: 'hi',
      tools: [
        { type: 'function', name: 'f', description: 'F', parameters: { type: 'object', properties: {} }, strict: true },
        { type: 'custom', name: 'apply_patch', description: 'Patch.', format: { type: 'grammar', syntax: 'lark', definition: 'start: x' } },
        { type: 'web_search' },
      ],
      tool_choice: { type: 'function', name: 'f' },
      parallel_tool_calls: true,
      text: { format: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true } },
      max_output_tokens: 77,
      store: false,
      include: ['reasoning.encrypted_content'],
      reasoning: { effort: 'high' },
    });
    expect(out.tools).toEqual([
      { type: 'function', function: { name: 'f', description: 'F', parameters: { type: 'object', properties: {} }, strict: true } },
      { type: 'function', function: { name: 'apply_patch', description: expect.stringContaining('start: x'), parameters: { type: 'object', properties: { content: { type: 'string' } }, required: ['content'] } } },
    ]);
    expect(out).toMatchObject({ tool_choice: { type: 'function', function: { name: 'f' } }, parallel_tool_calls: true, max_tokens: 77, response_format: { type: 'json_schema', json_schema: { name: 'out', schema: { type: 'object' }, strict: true } } });
    for (const key of ['store', 'include', 'reasoning', 'reasoning_effort', 'input', 'text']) expect(out).not.toHaveProperty(key);
  });

  it('passes reasoning effort only to a model that reasons', () => {
    expect(body({ input: 'hi', reasoning: { effort: 'low' } }, O3)).toMatchObject({ reasoning_effort: 'low' });
    expect(body({ input: 'hi', reasoning: null }, O3)).not.toHaveProperty('reasoning_effort');
  });

  it('refuses item types it cannot carry, naming the item', () => {
    expect(() => body({ input: [{ type: 'file_search_call' }] })).toThrow(ProxyError);
    expect(() => body({ input: [{ type: 'file_search_call' }] })).toThrow(/input\.0/);
    expect(() => body({ input: [{ role: 'user', content: [{ type: 'input_file', file_id: 'f' }] }] })).toThrow(/input_file/);
  });
});

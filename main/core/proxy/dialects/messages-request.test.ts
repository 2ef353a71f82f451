import { describe, expect, it } from 'vitest';
import { ProxyError } from '../../errors';
import { chatBody, messagesRequestSchema } from './messages-request';

const body = (request: Record<string, unknown>) => chatBody(messagesRequestSchema.parse({ model: 'x', max_tokens: 100, ...request }), 'openai/gpt-4o-mini');

describe('Messages → chat completions', () => {
  it('joins system blocks without the billing line and without cache_control', () => {
    const out = body({
      system: [
        { type: 'text', text: 'x-anthropic-billing-header: cc_version=2.1.88; cch=1;' },
        { type: 'text', text: 'A.', cache_control: { type: 'ephemeral' } },
        { type: 'text', text: 'B.' },
      ],
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(out.messages).toEqual([
      { role: 'system', content: 'A.\n\nB.' },
      { role: 'user', content: 'hi' },
    ]);
  });

  it('puts tool results before the rest of a user turn, marks errors, turns images into data URLs, drops thinking', () => {
    const out = body({
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'go' }] },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 'secret', signature: 's' }, { type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'ls' } }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'and look' },
            { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: 'QUJD' } },
            { type: 'tool_result', tool_use_id: 'toolu_1', content: 'boom', is_error: true },
          ],
        },
      ],
    });
    expect(out.messages).toEqual([
      { role: 'user', content: 'go' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'Bash', arguments: '{"command":"ls"}' } }] },
      { role: 'tool', tool_call_id: 'toolu_1', content: '[tool error] boom' },
      { role: 'user', content: [{ type: 'text', text: 'and look' }, { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,QUJD' } }] },
    ]);
    expect(JSON.stringify(out)).not.toContain('secret');
  });

  it('maps tools, tool_choice, stop_sequences; drops metadata, thinking, top_k, server tools', () => {
    const out = body({
      messages: [{ role: 'user', content: 'hi' }],
      tools: [{ name: 'Bash', description: 'Run', input_schema: { type: 'object', properties: {}, $schema: 'http://json-schema.org/draft-07/schema#' } }, { type: 'web_search_20250305', name: 'web_search' }],
      tool_choice: { type: 'tool', name: 'Bash', disable_parallel_tool_use: true },
      stop_sequences: ['\n\nHuman:'],
      metadata: { user_id: '{"device_id":"x"}' },
      thinking: { type: 'enabled', budget_tokens: 1000 },
      top_k: 5,
    });
    expect(out).toEqual({
      model: 'openai/gpt-4o-mini',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'hi' }],
      tools: [{ type: 'function', function: { name: 'Bash', description: 'Run', parameters: { type: 'object', properties: {} } } }],
      tool_choice: { type: 'function', function: { name: 'Bash' } },
      parallel_tool_calls: false,
      stop: ['\n\nHuman:'],
    });
  });

  it('asks for the usage chunk when streaming', () => {
    expect(body({ stream: true, messages: [{ role: 'user', content: 'hi' }] })).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('refuses blocks it cannot carry, naming the block', () => {
    expect(() => body({ messages: [{ role: 'user', content: [{ type: 'document', source: {} }] }] })).toThrow(ProxyError);
    expect(() => body({ messages: [{ role: 'user', content: [{ type: 'document', source: {} }] }] })).toThrow(/messages\.0\.content\.0 is a 'document' block/);
  });
});

import { describe, expect, it } from 'vitest';
import { ProxyError } from '../../errors';
import { ChatStreamReader } from './chat-stream';

const toolDelta = (call: Record<string, unknown>) => ({ choices: [{ delta: { tool_calls: [call] }, finish_reason: null }] });

describe('ChatStreamReader', () => {
  it('reads text, then a tool call whose name comes with its id, fragments after it', () => {
    const reader = new ChatStreamReader();
    expect(reader.read({ choices: [], id: '' })).toEqual([]);
    expect(reader.read({ choices: [{ delta: { content: 'Hi' } }] })).toEqual([{ kind: 'text', text: 'Hi' }]);
    expect(reader.read(toolDelta({ index: 0, id: 'call_1', function: { name: 'run', arguments: '' } }))).toEqual([{ kind: 'tool-start', index: 0, id: 'call_1', name: 'run' }]);
    expect(reader.read(toolDelta({ index: 0, function: { arguments: '{"a":' } }))).toEqual([{ kind: 'tool-args', index: 0, args: '{"a":' }]);
    reader.read({ choices: [{ delta: {}, finish_reason: 'tool_calls' }] });
    reader.read({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } });
    expect(reader.assertFinished()).toBe('tool_calls');
    expect(reader.usage).toEqual({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
  });

  it('holds argument fragments that arrive before the name and gives them with the start', () => {
    const reader = new ChatStreamReader();
    expect(reader.read(toolDelta({ index: 1, function: { arguments: '{"x"' } }))).toEqual([]);
    expect(reader.read(toolDelta({ index: 1, id: 'call_9', function: { name: 'f', arguments: ':1}' } }))).toEqual([
      { kind: 'tool-start', index: 1, id: 'call_9', name: 'f' },
      { kind: 'tool-args', index: 1, args: '{"x":1}' },
    ]);
  });

  it('gives a call without an id one of its own', () => {
    const reader = new ChatStreamReader();
    const [start] = reader.read(toolDelta({ index: 0, function: { name: 'f' } }));
    expect(start).toMatchObject({ kind: 'tool-start', id: expect.stringMatching(/^call_[0-9a-f]{24}$/) });
  });

  it('treats a stream with no finish_reason as cut, not as an empty turn', () => {
    const reader = new ChatStreamReader();
    reader.read({ choices: [{ delta: { content: 'partial' } }] });
    expect(() => reader.assertFinished()).toThrow(ProxyError);
    expect(() => reader.assertFinished()).toThrow(/ended before the answer was finished/);
  });

  it('raises an error event inside the stream', () => {
    const reader = new ChatStreamReader();
    expect(() => reader.read({ error: { message: 'overloaded' } })).toThrow(/overloaded/);
  });
});

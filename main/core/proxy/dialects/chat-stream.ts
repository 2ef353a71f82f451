import { randomUUID } from 'node:crypto';
import { ProxyError } from '../../errors';
import type { ChatChunk, ChatUsage } from './chat-shapes';

/** `prefix_` + 24 hex characters. */
export const newId = (prefix: string) => `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 24)}`;

/** What a translating dialect needs from upstream chat chunks, in the order they arrived. */
export type StreamPiece =
  | { kind: 'text'; text: string }
  | { kind: 'tool-start'; index: number; id: string; name: string }
  | { kind: 'tool-args'; index: number; args: string };

interface OpenTool {
  id: string | null;
  name: string | null;
  started: boolean;
  /** Argument fragments that arrived before the tool's name (some upstreams send them first). */
  pending: string;
}

/**
 * Reads upstream chat chunks into text and tool-call pieces: a tool call starts once its name is
 * known, fragments before it are held and given with the start; the finish reason and the usage
 * chunk (a last chunk with `choices: []`) are kept for the end.
 */
export class ChatStreamReader {
  finishReason: string | null = null;
  usage: ChatUsage | null = null;
  private readonly tools = new Map<number, OpenTool>();

  read(chunk: ChatChunk): StreamPiece[] {
    if (chunk.error) {
      throw new ProxyError(502, 'upstream_error', `The upstream stream reported an error: ${chunk.error.message ?? 'unknown error'}`, { code: 'upstream_error' });
    }
    if (chunk.usage) this.usage = chunk.usage;
    const pieces: StreamPiece[] = [];
    for (const choice of chunk.choices ?? []) {
      const delta = choice.delta;
      if (delta?.content) pieces.push({ kind: 'text', text: delta.content });
      for (const call of delta?.tool_calls ?? []) this.readTool(call, pieces);
      if (choice.finish_reason) this.finishReason = choice.finish_reason;
    }
    return pieces;
  }

  private readTool(call: NonNullable<NonNullable<NonNullable<ChatChunk['choices']>[number]['delta']>['tool_calls']>[number], pieces: StreamPiece[]): void {
    const index = call.index ?? 0;
    let tool = this.tools.get(index);
    if (!tool) {
      tool = { id: null, name: null, started: false, pending: '' };
      this.tools.set(index, tool);
    }
    if (call.id) tool.id = call.id;
    if (call.function?.name) tool.name ??= call.function.name;
    const args = call.function?.arguments ?? '';
    if (!tool.started && tool.name) {
      tool.started = true;
      tool.id ??= newId('call');
      pieces.push({ kind: 'tool-start', index, id: tool.id, name: tool.name });
      const held = tool.pending + args;
      tool.pending = '';
      if (held) pieces.push({ kind: 'tool-args', index, args: held });
      return;
    }
    if (!args) return;
    if (tool.started) pieces.push({ kind: 'tool-args', index, args });
    else tool.pending += args;
  }

  /** Throws when upstream ended its stream without saying why the answer stopped (a cut answer, not an empty turn). */
  assertFinished(): string {
    if (this.finishReason === null) {
      throw new ProxyError(502, 'upstream_error', 'The upstream stream ended before the answer was finished (no finish_reason). Retry the request.', { code: 'stream_interrupted' });
    }
    return this.finishReason;
  }
}

import type { ProxyError } from '../../errors';
import type { ChatChunk } from './chat-shapes';
import { ChatStreamReader } from './chat-stream';
import { anthropicErrors } from './error-shapes';
import { anthropicUsage, messageObject, stopReason } from './messages-output';
import { sseEvent } from './sse-event';
import type { StreamTransform } from './types';

/**
 * Upstream chat chunks → Anthropic's stream, each event written as its chunk arrives:
 * message_start, ping, per block content_block_start / content_block_delta (text_delta,
 * input_json_delta)* / content_block_stop, then message_delta (stop_reason and upstream's usage,
 * held until the usage chunk) and message_stop. The prompt's size is known only at the end, so
 * message_start says 0 and message_delta carries the real counts (the SDK overwrites with them).
 */
export class MessagesStream implements StreamTransform {
  private readonly reader = new ChatStreamReader();
  private index = -1;
  private open: 'text' | 'tool' | null = null;
  private readonly blockOfTool = new Map<number, number>();
  private sawToolUse = false;

  constructor(
    private readonly id: string,
    private readonly model: string,
  ) {}

  start(): string {
    const message = messageObject(this.id, this.model, [], null, { input_tokens: 0, output_tokens: 0 });
    return sseEvent('message_start', { message }) + sseEvent('ping', {});
  }

  chunk(chunk: ChatChunk): string {
    let out = '';
    for (const piece of this.reader.read(chunk)) {
      if (piece.kind === 'text') {
        if (this.open !== 'text') out += this.openBlock('text', { type: 'text', text: '' });
        out += sseEvent('content_block_delta', { index: this.index, delta: { type: 'text_delta', text: piece.text } });
      } else if (piece.kind === 'tool-start') {
        this.sawToolUse = true;
        out += this.openBlock('tool', { type: 'tool_use', id: piece.id, name: piece.name, input: {} });
        this.blockOfTool.set(piece.index, this.index);
      } else {
        const block = this.blockOfTool.get(piece.index);
        if (block !== undefined) out += sseEvent('content_block_delta', { index: block, delta: { type: 'input_json_delta', partial_json: piece.args } });
      }
    }
    return out;
  }

  end(): string {
    const finish = this.reader.assertFinished();
    return (
      this.closeBlock() +
      sseEvent('message_delta', { delta: { stop_reason: stopReason(finish, this.sawToolUse), stop_sequence: null }, usage: anthropicUsage(this.reader.usage) }) +
      sseEvent('message_stop', {})
    );
  }

  fail(error: ProxyError): string {
    return anthropicErrors.streamEvent(error);
  }

  usage() {
    return this.reader.usage;
  }

  private openBlock(kind: 'text' | 'tool', block: object): string {
    const out = this.closeBlock();
    this.index += 1;
    this.open = kind;
    return out + sseEvent('content_block_start', { index: this.index, content_block: block });
  }

  private closeBlock(): string {
    if (this.open === null) return '';
    this.open = null;
    return sseEvent('content_block_stop', { index: this.index });
  }
}

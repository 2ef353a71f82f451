import type { ProxyError } from '../../errors';
import type { ChatChunk, ChatToolCall } from './chat-shapes';
import { ChatStreamReader, newId } from './chat-stream';
import { callItem, failureOf, messageItem, responseObject, statusOf, textPart, usageOf, type OutputItem, type ResponseIdentity } from './responses-output';
import { sseEvent } from './sse-event';
import type { StreamTransform } from './types';

interface OpenCall {
  outputIndex: number;
  id: string;
  callId: string;
  name: string;
  args: string;
  custom: boolean;
}

/**
 * Upstream chat chunks → Responses events, each written as its chunk arrives: response.created,
 * then per text answer output_item.added / content_part.added / output_text.delta* / …done /
 * output_item.done, per call output_item.added / function_call_arguments.delta* / …done /
 * output_item.done (Codex records history from output_item.done only), then response.completed
 * with usage including total_tokens. Every event carries a sequence_number.
 */
export class ResponsesStream implements StreamTransform {
  private readonly reader = new ChatStreamReader();
  private sequence = 0;
  private readonly output: OutputItem[] = [];
  private message: { outputIndex: number; id: string; text: string } | null = null;
  private text = '';
  private readonly calls = new Map<number, OpenCall>();

  constructor(
    private readonly who: ResponseIdentity,
    private readonly customTools: Set<string>,
    private readonly onDone: (text: string, calls: ChatToolCall[]) => void,
  ) {}

  start(): string {
    const response = responseObject(this.who, { status: 'in_progress', output: [] });
    return this.event('response.created', { response }) + this.event('response.in_progress', { response });
  }

  chunk(chunk: ChatChunk): string {
    let out = '';
    for (const piece of this.reader.read(chunk)) {
      if (piece.kind === 'text') out += this.textDelta(piece.text);
      else if (piece.kind === 'tool-start') out += this.openCall(piece.index, piece.id, piece.name);
      else out += this.callDelta(piece.index, piece.args);
    }
    return out;
  }

  end(): string {
    const finish = this.reader.assertFinished();
    let out = this.closeMessage();
    for (const call of this.calls.values()) {
      const item = callItem(call, call.custom, 'completed');
      if (!call.custom) out += this.event('response.function_call_arguments.done', { item_id: call.id, output_index: call.outputIndex, name: call.name, arguments: call.args });
      this.output[call.outputIndex] = item;
      out += this.event('response.output_item.done', { output_index: call.outputIndex, item });
    }
    const response = responseObject(this.who, { ...statusOf(finish), output: this.output, usage: usageOf(this.reader.usage) });
    this.onDone(this.text, [...this.calls.values()].map((c) => ({ id: c.callId, type: 'function' as const, function: { name: c.name, arguments: c.args } })));
    return out + this.event('response.completed', { response });
  }

  fail(error: ProxyError): string {
    const response = responseObject(this.who, { status: 'failed', output: this.output, error: failureOf(error) });
    return this.event('response.failed', { response });
  }

  usage() {
    return this.reader.usage;
  }

  private textDelta(delta: string): string {
    let out = '';
    if (!this.message) {
      this.message = { outputIndex: this.output.length, id: newId('msg'), text: '' };
      const item = messageItem(this.message.id, '', 'in_progress');
      this.output.push(item);
      out += this.event('response.output_item.added', { output_index: this.message.outputIndex, item });
      out += this.event('response.content_part.added', { item_id: this.message.id, output_index: this.message.outputIndex, content_index: 0, part: textPart('') });
    }
    this.message.text += delta;
    this.text += delta;
    return out + this.event('response.output_text.delta', { item_id: this.message.id, output_index: this.message.outputIndex, content_index: 0, delta, logprobs: [] });
  }

  private closeMessage(): string {
    const open = this.message;
    if (!open) return '';
    this.message = null;
    const item = messageItem(open.id, open.text, 'completed');
    this.output[open.outputIndex] = item;
    const where = { item_id: open.id, output_index: open.outputIndex, content_index: 0 };
    return (
      this.event('response.output_text.done', { ...where, text: open.text, logprobs: [] }) +
      this.event('response.content_part.done', { ...where, part: textPart(open.text) }) +
      this.event('response.output_item.done', { output_index: open.outputIndex, item })
    );
  }

  private openCall(index: number, callId: string, name: string): string {
    const out = this.closeMessage();
    const call: OpenCall = { outputIndex: this.output.length, id: newId('fc'), callId, name, args: '', custom: this.customTools.has(name) };
    this.calls.set(index, call);
    const item = callItem(call, call.custom, 'in_progress');
    this.output.push(item);
    return out + this.event('response.output_item.added', { output_index: call.outputIndex, item });
  }

  private callDelta(index: number, delta: string): string {
    const call = this.calls.get(index);
    if (!call) return '';
    call.args += delta;
    if (call.custom) return ''; // its input is known whole only at the end (unwrapped from {"content": …})
    return this.event('response.function_call_arguments.delta', { item_id: call.id, output_index: call.outputIndex, delta });
  }

  private event(type: string, data: object): string {
    return sseEvent(type, { sequence_number: this.sequence++, ...data });
  }
}


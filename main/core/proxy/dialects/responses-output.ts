import type { ProxyError } from '../../errors';
import type { ChatMessage, ChatToolCall, ChatUsage } from './chat-shapes';
import type { ResponsesRequest } from './responses-request';

/** The Responses shapes Switchyard answers with: the response object, its output items, its usage. */

export interface ResponseIdentity {
  id: string;
  createdAt: number;
  model: string;
  request: ResponsesRequest;
}

export type OutputItem = Record<string, unknown> & { type: string };

export function messageItem(id: string, text: string, status: 'in_progress' | 'completed'): OutputItem {
  return { type: 'message', id, status, role: 'assistant', content: status === 'completed' ? [textPart(text)] : [] };
}

export const textPart = (text: string) => ({ type: 'output_text', text, annotations: [], logprobs: [] });

/** A function call, or a custom (freeform) tool call when the name is one of the request's custom tools. */
export function callItem(call: { id: string; callId: string; name: string; args: string }, custom: boolean, status: 'in_progress' | 'completed'): OutputItem {
  if (custom) return { type: 'custom_tool_call', id: call.id, call_id: call.callId, name: call.name, input: status === 'completed' ? unwrapCustomInput(call.args) : '', status };
  return { type: 'function_call', id: call.id, call_id: call.callId, name: call.name, arguments: status === 'completed' ? call.args : '', status };
}

/** Custom tools travel upstream as functions with one `content` argument; the client wants the raw text back. */
function unwrapCustomInput(args: string): string {
  try {
    const parsed = JSON.parse(args) as { content?: unknown };
    return typeof parsed.content === 'string' ? parsed.content : args;
  } catch {
    return args;
  }
}

export function usageOf(usage: ChatUsage | null): Record<string, unknown> | null {
  if (!usage) return null;
  const input = usage.prompt_tokens ?? 0;
  const output = usage.completion_tokens ?? 0;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: usage.prompt_tokens_details?.cached_tokens ?? 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: usage.completion_tokens_details?.reasoning_tokens ?? 0 },
    total_tokens: usage.total_tokens ?? input + output,
  };
}

/** Status and incomplete_details from the upstream finish reason. */
export function statusOf(finishReason: string | null): { status: string; incomplete_details: { reason: string } | null } {
  if (finishReason === 'length') return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
  if (finishReason === 'content_filter') return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } };
  return { status: 'completed', incomplete_details: null };
}

export function responseObject(who: ResponseIdentity, fields: { status: string; output: OutputItem[]; usage?: Record<string, unknown> | null; incomplete_details?: unknown; error?: unknown }): Record<string, unknown> {
  const r = who.request;
  const response: Record<string, unknown> = {
    id: who.id,
    object: 'response',
    created_at: who.createdAt,
    status: fields.status,
    error: fields.error ?? null,
    incomplete_details: fields.incomplete_details ?? null,
    instructions: r.instructions ?? null,
    max_output_tokens: r.max_output_tokens ?? null,
    model: who.model,
    output: fields.output,
    parallel_tool_calls: r.parallel_tool_calls ?? true,
    previous_response_id: r.previous_response_id ?? null,
    reasoning: r.reasoning ?? null,
    store: r.store === true,
    temperature: r.temperature ?? null,
    text: r.text ?? { format: { type: 'text' } },
    tool_choice: r.tool_choice ?? 'auto',
    tools: r.tools ?? [],
    top_p: r.top_p ?? null,
    usage: fields.usage ?? null,
    metadata: (r as { metadata?: unknown }).metadata ?? {},
  };
  const text = fields.output.flatMap((item) => (item.type === 'message' ? (item.content as { text: string }[]) : [])).map((part) => part.text).join('');
  if (text) response.output_text = text;
  return response;
}

/** The assistant turn of a finished response, as a chat message (to store for previous_response_id). */
export function assistantTurn(text: string, calls: ChatToolCall[]): ChatMessage {
  return { role: 'assistant', content: text || null, ...(calls.length ? { tool_calls: calls } : {}) };
}

/** response.failed's error: Codex retries `rate_limit_exceeded` after the delay named in "try again in Ns". */
export function failureOf(error: ProxyError): { code: string; message: string } {
  if (error.status === 429) {
    const wait = Math.max(1, Math.ceil(error.retryAfterSeconds ?? 1));
    return { code: 'rate_limit_exceeded', message: `${error.message} Please try again in ${wait}s.` };
  }
  if (error.status === 413) return { code: 'context_length_exceeded', message: error.message };
  return { code: error.code ?? 'server_error', message: error.message };
}


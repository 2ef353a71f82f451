/** The parts of upstream chat-completions answers the translating dialects read. */

export interface ChatUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
}

export interface ChatToolCall {
  id: string;
  type?: 'function';
  function: { name: string; arguments: string };
}

export interface ChatCompletion {
  id?: string;
  model?: string;
  choices?: Array<{
    message?: { role?: string; content?: string | null; tool_calls?: ChatToolCall[] | null; refusal?: string | null };
    finish_reason?: string | null;
  }>;
  usage?: ChatUsage | null;
}

export interface ChatChunk {
  id?: string;
  model?: string;
  choices?: Array<{
    delta?: {
      content?: string | null;
      tool_calls?: Array<{ index?: number; id?: string; function?: { name?: string; arguments?: string } }> | null;
    };
    finish_reason?: string | null;
  }>;
  usage?: ChatUsage | null;
  /** Some upstreams report a failure as an event inside a 200 stream. */
  error?: { message?: string; code?: string | number | null } | null;
}

/** A chat message as sent upstream. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string | null | ChatContentPart[];
  tool_calls?: ChatToolCall[];
  tool_call_id?: string;
}

export type ChatContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string; detail?: string } };

/** A chat answer read whole: text, tool calls, why it stopped, usage. */
export interface ReadCompletion {
  text: string;
  toolCalls: ChatToolCall[];
  finishReason: string | null;
  usage: ChatUsage | null;
}

export function readCompletion(completion: ChatCompletion): ReadCompletion {
  const choice = completion.choices?.[0];
  const message = choice?.message;
  return {
    text: message?.content ?? '',
    toolCalls: message?.tool_calls ?? [],
    finishReason: choice?.finish_reason ?? null,
    usage: completion.usage ?? null,
  };
}

/** The user content of chat parts: a plain string when it is text only. */
export function userContent(parts: ChatContentPart[]): string | ChatContentPart[] {
  return parts.every((p) => p.type === 'text') ? parts.map((p) => (p as { text: string }).text).join('\n') : parts;
}

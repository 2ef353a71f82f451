import type { ChatUsage } from './chat-shapes';

/** Anthropic's stop_reason for an upstream finish_reason (a tool call wins over "stop"). */
export function stopReason(finishReason: string | null, hasToolUse: boolean): string {
  if (finishReason === 'length') return 'max_tokens';
  if (finishReason === 'tool_calls' || finishReason === 'function_call' || hasToolUse) return 'tool_use';
  return 'end_turn';
}

/**
 * Anthropic's usage: input_tokens excludes cache reads, which go in cache_read_input_tokens, so a
 * client summing them sees the whole prompt.
 */
export function anthropicUsage(usage: ChatUsage | null): { input_tokens: number; output_tokens: number; cache_read_input_tokens?: number } {
  const prompt = usage?.prompt_tokens ?? 0;
  const cached = usage?.prompt_tokens_details?.cached_tokens ?? 0;
  const output = usage?.completion_tokens ?? 0;
  return cached > 0 ? { input_tokens: prompt - cached, output_tokens: output, cache_read_input_tokens: cached } : { input_tokens: prompt, output_tokens: output };
}

export function messageObject(id: string, model: string, content: unknown[], stop: string | null, usage: ReturnType<typeof anthropicUsage>): Record<string, unknown> {
  return { id, type: 'message', role: 'assistant', model, content, stop_reason: stop, stop_sequence: null, usage };
}

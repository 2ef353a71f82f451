import type { ChatMessage } from './chat-shapes';
import { chatMessages, chatTools, type MessagesRequest } from './messages-request';

/** The tokenizer Switchyard counts with (OpenAI's o200k_base, from gpt-tokenizer); the upstream model's own may differ. */
export const TOKENIZER = 'o200k_base';

/** Per message, the role and framing tokens chat formats add (OpenAI's published rule of thumb). */
const PER_MESSAGE = 4;
/** Per image: Anthropic's own bound for an image at its largest size (about 1.15 megapixels / 750). */
const PER_IMAGE = 1600;

type Counter = (text: string) => number;
let counter: Promise<Counter> | null = null;

/** The tokenizer's tables are large: loaded on the first count, not at start. */
function loadCounter(): Promise<Counter> {
  counter ??= import('gpt-tokenizer').then((m) => (text: string) => (text ? m.countTokens(text, { disallowedSpecial: new Set() }) : 0));
  return counter;
}

function messageTokens(count: Counter, message: ChatMessage): number {
  let total = PER_MESSAGE;
  if (typeof message.content === 'string') total += count(message.content);
  else for (const part of message.content ?? []) total += part.type === 'text' ? count(part.text) : PER_IMAGE;
  for (const call of message.tool_calls ?? []) total += count(call.function.name) + count(call.function.arguments) + PER_MESSAGE;
  return total;
}

/**
 * An estimate of a Messages request's input tokens: the same translation as /v1/messages, every
 * block counted (system, text, tool_use input, tool_result, tool definitions), images at a fixed bound.
 */
export async function countInputTokens(request: MessagesRequest): Promise<number> {
  const count = await loadCounter();
  const messages = chatMessages(request);
  const tools = chatTools(request);
  return messages.reduce((sum, m) => sum + messageTokens(count, m), 0) + (tools.length ? count(JSON.stringify(tools)) : 0) + 3;
}

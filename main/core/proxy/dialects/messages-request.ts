import { z } from 'zod';
import { badRequest } from '../../errors';
import { modelField } from '../guards';
import { userContent, type ChatContentPart, type ChatMessage, type ChatToolCall } from './chat-shapes';

/** Anthropic's Messages API request (POST /v1/messages), as Claude Code sends it. */

const block = z.looseObject({ type: z.string({ error: 'each content block needs a type (text, image, tool_use, tool_result, …).' }) });
const content = z.union([z.string(), z.array(block)], { error: 'content must be a string or an array of content blocks.' });

const messagesFields = {
  model: modelField,
  messages: z
    .array(z.looseObject({ role: z.enum(['user', 'assistant'], { error: 'each message role must be "user" or "assistant".' }), content }), { error: 'messages must be an array of {role, content} objects.' })
    .min(1, 'messages must contain at least one message.'),
  system: content.nullish(),
  tools: z.array(z.looseObject({ name: z.string({ error: 'each tool needs a name.' }).min(1), type: z.string().nullish(), description: z.string().nullish(), input_schema: z.unknown().optional() })).nullish(),
  tool_choice: z.looseObject({ type: z.enum(['auto', 'any', 'tool', 'none'], { error: 'tool_choice.type must be auto, any, tool or none.' }), name: z.string().optional(), disable_parallel_tool_use: z.boolean().optional() }).nullish(),
  stop_sequences: z.array(z.string(), { error: 'stop_sequences must be an array of strings.' }).nullish(),
  temperature: z.number({ error: 'temperature must be a number.' }).min(0).max(2).nullish(),
  top_p: z.number({ error: 'top_p must be a number.' }).min(0).max(1).nullish(),
  stream: z.boolean({ error: 'stream must be true or false.' }).nullish(),
};

export const messagesRequestSchema = z
  .object({ ...messagesFields, max_tokens: z.number({ error: 'max_tokens must be a positive integer.' }).int().positive() })
  .loose();

/** count_tokens takes the same body without max_tokens. */
export const countTokensRequestSchema = z.object(messagesFields).loose();

export type MessagesRequest = z.infer<typeof countTokensRequestSchema> & { max_tokens?: number };
type Block = z.infer<typeof block> & Record<string, unknown>;

/** Claude Code's per-request billing line: it changes every request and would defeat upstream prefix caching. */
const BILLING_LINE = /^x-anthropic-billing-header:/;

function systemText(system: MessagesRequest['system']): string | null {
  if (!system) return null;
  if (typeof system === 'string') return system;
  const texts = (system as Block[]).filter((b) => b.type === 'text' && !BILLING_LINE.test(String(b.text ?? ''))).map((b) => String(b.text ?? ''));
  return texts.length ? texts.join('\n\n') : null;
}

function imagePart(b: Block, param: string): ChatContentPart {
  const source = b.source as { type?: string; media_type?: string; data?: string; url?: string } | undefined;
  if (source?.type === 'base64' && source.data) return { type: 'image_url', image_url: { url: `data:${source.media_type ?? 'image/png'};base64,${source.data}` } };
  if (source?.type === 'url' && source.url) return { type: 'image_url', image_url: { url: source.url } };
  throw badRequest(`${param}.source must be {"type":"base64","media_type","data"} or {"type":"url","url"}.`, 'invalid_value', `${param}.source`);
}

/** A tool_result's content as text (images cannot travel in a chat tool message). */
function toolResultText(b: Block): string {
  const raw = b.content;
  const text =
    typeof raw === 'string'
      ? raw
      : Array.isArray(raw)
        ? raw.map((part: Record<string, unknown>) => (part?.type === 'text' ? String(part.text ?? '') : '[image omitted: tool images cannot be sent to a chat-completions upstream]')).join('\n')
        : '';
  return b.is_error === true ? `[tool error] ${text}` : text;
}

const IGNORED = new Set(['thinking', 'redacted_thinking', 'server_tool_use', 'web_search_tool_result']);

function userTurn(blocks: Block[], index: number): ChatMessage[] {
  const tools: ChatMessage[] = [];
  const parts: ChatContentPart[] = [];
  blocks.forEach((b, i) => {
    const param = `messages.${index}.content.${i}`;
    if (b.type === 'tool_result') tools.push({ role: 'tool', tool_call_id: String(b.tool_use_id ?? ''), content: toolResultText(b) });
    else if (b.type === 'text') parts.push({ type: 'text', text: String(b.text ?? '') });
    else if (b.type === 'image') parts.push(imagePart(b, param));
    else if (!IGNORED.has(b.type)) throw unsupportedBlock(b.type, param);
  });
  // Tool results first: the chat order is tool_calls → their results → the next user words.
  return parts.length ? [...tools, { role: 'user', content: userContent(parts) }] : tools;
}

function assistantTurn(blocks: Block[], index: number): ChatMessage {
  const texts: string[] = [];
  const calls: ChatToolCall[] = [];
  blocks.forEach((b, i) => {
    if (b.type === 'text') texts.push(String(b.text ?? ''));
    else if (b.type === 'tool_use') calls.push({ id: String(b.id ?? ''), type: 'function', function: { name: String(b.name ?? ''), arguments: JSON.stringify(b.input ?? {}) } });
    else if (!IGNORED.has(b.type)) throw unsupportedBlock(b.type, `messages.${index}.content.${i}`);
  });
  const text = texts.join('');
  return { role: 'assistant', content: text || null, ...(calls.length ? { tool_calls: calls } : {}) };
}

const unsupportedBlock = (type: string, param: string) =>
  badRequest(`${param} is a '${type}' block, which Switchyard cannot carry over chat completions. It takes text, image, tool_use and tool_result blocks (thinking blocks are dropped).`, 'invalid_value', `${param}.type`);

/** The system prompt and the conversation as chat messages. */
export function chatMessages(request: MessagesRequest): ChatMessage[] {
  const system = systemText(request.system);
  const messages: ChatMessage[] = system ? [{ role: 'system', content: system }] : [];
  request.messages.forEach((message, index) => {
    const blocks: Block[] = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : (message.content as Block[]);
    if (message.role === 'user') messages.push(...userTurn(blocks, index));
    else messages.push(assistantTurn(blocks, index));
  });
  return messages;
}

/** Client tools become chat function tools; Anthropic's server tools (web_search_…, bash_…) have no chat form and are left out. */
export function chatTools(request: MessagesRequest): Record<string, unknown>[] {
  return (request.tools ?? [])
    .filter((t) => !t.type || t.type === 'custom')
    .map((t) => {
      const { $schema: _ignored, ...parameters } = (t.input_schema ?? { type: 'object', properties: {} }) as Record<string, unknown>;
      return { type: 'function', function: { name: t.name, ...(t.description ? { description: t.description } : {}), parameters } };
    });
}

function toolChoice(choice: MessagesRequest['tool_choice']): unknown {
  switch (choice?.type) {
    case 'any':
      return 'required';
    case 'tool':
      return { type: 'function', function: { name: choice.name } };
    case 'none':
      return 'none';
    case 'auto':
      return 'auto';
    default:
      return undefined;
  }
}

/** The upstream chat-completions body. thinking, metadata, top_k and context_management are dropped. */
export function chatBody(request: MessagesRequest & { max_tokens: number }, modelId: string): Record<string, unknown> {
  const body: Record<string, unknown> = { model: modelId, messages: chatMessages(request), max_tokens: request.max_tokens };
  const tools = chatTools(request);
  if (tools.length) {
    body.tools = tools;
    const choice = toolChoice(request.tool_choice);
    if (choice !== undefined) body.tool_choice = choice;
    if (request.tool_choice?.disable_parallel_tool_use === true) body.parallel_tool_calls = false;
  }
  if (request.stop_sequences?.length) body.stop = request.stop_sequences;
  if (typeof request.temperature === 'number') body.temperature = request.temperature;
  if (typeof request.top_p === 'number') body.top_p = request.top_p;
  if (request.stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  return body;
}
